# The Orbita control server. Build the jar first: ./mvnw -B install -DskipTests
# A JDK, not a JRE: segment rules are compiled to Java at run time (Drools executable model).
FROM eclipse-temurin:21-jdk
WORKDIR /opt/orbita
COPY app/target/orbita-app-*-SNAPSHOT.jar orbita.jar
ENV ORBITA_DATA_DIR=/var/lib/orbita
VOLUME /var/lib/orbita
EXPOSE 8080
ENTRYPOINT ["java", "-Xmx2g", "-jar", "/opt/orbita/orbita.jar"]
