# Written by `kubeready fix` for the Java (Gradle) service `{{NAME}}`. Review before use.
FROM gradle:8.11.1-jdk21 AS build
WORKDIR /src
COPY . .
RUN gradle --no-daemon -q build -x test \
    && mkdir -p /out && find build/libs -name '*.jar' ! -name '*-plain.jar' -exec cp {} /out/app.jar \;

FROM eclipse-temurin:21.0.5_11-jre
WORKDIR /app
COPY --from=build /out/app.jar ./app.jar
USER 10001
{{EXPOSE}}
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
