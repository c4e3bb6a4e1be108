# Written by `kubeready fix` for the Java (Maven) service `{{NAME}}`. Review before use.
FROM maven:3.9.9-eclipse-temurin-21 AS build
WORKDIR /src
# Dependencies first, so that a source change does not download them again.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY . .
RUN mvn -B -q package -DskipTests \
    && mkdir -p /out && cp target/*.jar /out/app.jar

FROM eclipse-temurin:21.0.5_11-jre
WORKDIR /app
COPY --from=build /out/app.jar ./app.jar
USER 10001
{{EXPOSE}}
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
