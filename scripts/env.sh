# Sourced by the scripts in this folder: finds a JDK 25 and Maven, or fails clearly.
jr_find_jdk() {
    for cand in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/java-25-*; do
        [ -n "$cand" ] && [ -x "$cand/bin/javac" ] || continue
        v=$("$cand/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
        if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
            echo "$cand"
            return 0
        fi
    done
    return 1
}
JAVA_HOME=$(jr_find_jdk) || {
    echo "jruntime needs a JDK 25: none found (looked at \$JAVA_HOME and /usr/lib/jvm/temurin-25-jdk-amd64)." >&2
    echo "Install Temurin 25 or set JAVA_HOME." >&2
    exit 1
}
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
command -v mvn >/dev/null || { echo "jruntime builds with Maven: apt-get install -y maven" >&2; exit 1; }
command -v gcc >/dev/null || { echo "jruntime-init builds with gcc: apt-get install -y gcc libc6-dev" >&2; exit 1; }
