//! Java and Kotlin: Maven and Gradle.

use super::*;

const SPRING_POM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent>
<groupId>org.springframework.boot</groupId>
<artifactId>spring-boot-starter-parent</artifactId>
  </parent>
  <artifactId>orders</artifactId>
  <dependencies>
<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
  </dependencies>
  <build>
<plugins>
  <plugin>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-maven-plugin</artifactId>
  </plugin>
  <plugin>
    <groupId>com.google.cloud.tools</groupId>
    <artifactId>jib-maven-plugin</artifactId>
    <configuration>
      <from><image>eclipse-temurin:21</image></from>
      <to><image>ghcr.io/acme/orders</image></to>
    </configuration>
  </plugin>
</plugins>
  </build>
</project>
"#;

#[test]
fn maven_spring_boot_with_jib() {
    let ps = projects(&[
        ("orders/pom.xml", SPRING_POM),
        (
            "orders/src/main/resources/application.yml",
            "spring:\n  application:\n    name: orders\nserver:\n  port: 8081\n",
        ),
    ]);
    let p = at(&ps, "orders");
    assert_eq!(p.role, ProjectRole::Service);
    assert_eq!(p.language, Language::Java);
    assert_eq!(p.name, "orders");
    assert_eq!(p.reason, "Spring Boot (spring-boot-maven-plugin)");
    assert_eq!(p.line, 15);
    assert!(p.web);
    assert_eq!(p.frameworks, vec!["spring-boot"]);
    assert_eq!(p.ports, vec![8081]);
    assert_eq!(
        p.image_builders,
        vec![ImageBuilderConfig {
            tool: ImageBuilderTool::Jib,
            file: "orders/pom.xml".into(),
            line: 19,
            image: Some("ghcr.io/acme/orders".into())
        }]
    );
}

#[test]
fn maven_aggregator_library_and_main_class() {
    let ps = projects(&[
        ("pom.xml", "<project><artifactId>parent</artifactId><packaging>pom</packaging><modules><module>core</module><module>app</module></modules></project>"),
        ("core/pom.xml", "<project><artifactId>core</artifactId><dependencies><dependency><artifactId>guava</artifactId></dependency></dependencies></project>"),
        (
            "app/pom.xml",
            "<project><artifactId>app</artifactId><build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><configuration><transformers><transformer><mainClass>com.acme.Main</mainClass></transformer></transformers></configuration></plugin></plugins></build></project>",
        ),
        ("bom/pom.xml", "<project><artifactId>bom</artifactId><packaging>pom</packaging></project>"),
    ]);
    assert_eq!(at(&ps, "").role, ProjectRole::Aggregator);
    assert_eq!(
        at(&ps, "").reason,
        "Maven aggregator (packaging pom, 2 modules)"
    );
    assert_eq!(at(&ps, "core").role, ProjectRole::Library);
    assert_eq!(at(&ps, "app").role, ProjectRole::Service);
    assert_eq!(at(&ps, "app").reason, "Maven main class (com.acme.Main)");
    assert_eq!(at(&ps, "bom").role, ProjectRole::Library);
}

#[test]
fn malformed_pom_is_a_problem_but_still_read() {
    let (ps, problems) = scan(&[(
        "pom.xml",
        "<project>\n  <artifactId>x</artifactId>\n  <packaging>war</packaging>\n",
    )]);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].kind, ProblemKind::Syntax);
    assert_eq!(problems[0].line, 1);
    assert_eq!(ps[0].role, ProjectRole::Service);
}

#[test]
fn gradle_projects() {
    let ps = projects(&[
        ("settings.gradle.kts", "rootProject.name = \"shop\"\ninclude(\"api\", \"lib\")\n"),
        ("build.gradle.kts", "plugins {\n    id(\"org.springframework.boot\") version \"3.2.0\" apply false\n    kotlin(\"jvm\") version \"1.9\"\n}\nsubprojects {\n    apply(plugin = \"org.springframework.boot\")\n}\n"),
        (
            "api/build.gradle.kts",
            "plugins {\n    // comment\n    id(\"org.springframework.boot\")\n    id(\"com.google.cloud.tools.jib\") version \"3.4.0\"\n}\ndependencies {\n    implementation(\"org.springframework.boot:spring-boot-starter-webflux\")\n}\njib {\n    from { image = \"eclipse-temurin:21\" }\n    to {\n        image = \"ghcr.io/acme/api\"\n    }\n}\n",
        ),
        ("lib/build.gradle.kts", "plugins {\n    `java-library`\n}\n"),
        ("cli/build.gradle", "plugins {\n    id 'application'\n}\napplication { mainClass = 'a.Main' }\n"),
        ("mobile/build.gradle", "plugins { id 'com.android.application' }\n"),
        ("boot/build.gradle", "plugins { id 'org.springframework.boot' version '3.2.0' }\nbootBuildImage {\n    imageName = \"acme/boot\"\n}\n"),
    ]);
    let root = at(&ps, "");
    assert_eq!(root.role, ProjectRole::Aggregator, "{}", root.reason);
    assert_eq!(root.name, "shop");
    let api = at(&ps, "api");
    assert_eq!(api.role, ProjectRole::Service);
    assert_eq!(api.line, 3);
    assert!(api.web);
    assert_eq!(api.image_builders.len(), 1);
    assert_eq!(api.image_builders[0].tool, ImageBuilderTool::Jib);
    assert_eq!(
        api.image_builders[0].image.as_deref(),
        Some("ghcr.io/acme/api")
    );
    assert_eq!(at(&ps, "lib").role, ProjectRole::Library);
    assert_eq!(at(&ps, "cli").role, ProjectRole::Service);
    assert_eq!(at(&ps, "cli").reason, "Gradle application plugin");
    assert_eq!(at(&ps, "mobile").role, ProjectRole::Library);
    let boot = at(&ps, "boot");
    assert_eq!(boot.role, ProjectRole::Service);
    assert_eq!(
        boot.image_builders,
        vec![ImageBuilderConfig {
            tool: ImageBuilderTool::SpringBootBuildImage,
            file: "boot/build.gradle".into(),
            line: 2,
            image: Some("acme/boot".into())
        }]
    );
}

#[test]
fn quarkus_container_image_extension() {
    let ps = projects(&[
        (
            "q/pom.xml",
            "<project><artifactId>q</artifactId><dependencies><dependency><artifactId>quarkus-rest</artifactId></dependency><dependency><artifactId>quarkus-container-image-jib</artifactId></dependency></dependencies><build><plugins><plugin><artifactId>quarkus-maven-plugin</artifactId></plugin></plugins></build></project>",
        ),
        ("q/src/main/resources/application.properties", "quarkus.http.port=9090\nquarkus.container-image.group=acme\nquarkus.container-image.name=q\n"),
    ]);
    let p = at(&ps, "q");
    assert_eq!(p.role, ProjectRole::Service);
    assert_eq!(p.ports, vec![9090]);
    assert_eq!(p.image_builders[0].tool, ImageBuilderTool::Quarkus);
    assert_eq!(p.image_builders[0].image.as_deref(), Some("acme/q"));
}
