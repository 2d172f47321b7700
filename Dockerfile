# The Orbita control server. Build the jar first: ./mvnw -B install -DskipTests
FROM eclipse-temurin:21-jre
WORKDIR /opt/orbita
COPY app/target/orbita-app-*-SNAPSHOT.jar orbita.jar
ENV ORBITA_DATA_DIR=/var/lib/orbita
VOLUME /var/lib/orbita
EXPOSE 8080
ENTRYPOINT ["java", "-Xmx2g", "-jar", "/opt/orbita/orbita.jar"]
