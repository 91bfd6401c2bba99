# syntax=docker/dockerfile:1
# One recipe for every service image:
#   docker build --build-arg MODULE=catalog-reactive -t surge/catalog-reactive .
# compose.yaml builds all five this way.

FROM maven:3.9-eclipse-temurin-25 AS build
ARG MODULE
RUN test -n "$MODULE" || (echo "build with --build-arg MODULE=<service module>" >&2; exit 1)
WORKDIR /src
COPY . .
# -am builds the modules it depends on (shared-events, messaging-support) from the same tree.
# The cache mount keeps ~/.m2 between builds, so a second image does not download it all again.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -pl "$MODULE" -am package \
 && cp "$MODULE/target/$MODULE.jar" /app.jar

FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 --no-create-home surge
WORKDIR /app
COPY --from=build /app.jar /app/app.jar
USER surge
EXPOSE 8080-8084
# Heap from the container's memory limit rather than the host's.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
