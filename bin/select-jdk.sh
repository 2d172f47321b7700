# Sourced by ./mvnw, ./orbita and .ci/run: points JAVA_HOME at a JDK 21 or newer.
# Orbita compiles for Java 21 (Zeebe's in-process engine needs it); machines often
# default to an older JDK with a newer one installed beside it.
orbita_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
orbita_select_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(orbita_java_major "$JAVA_HOME")
    [ "${v:-0}" -ge 21 ] && return 0
  fi
  best=""; best_v=0
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$candidate/bin/javac" ] || continue
    v=$(orbita_java_major "$candidate")
    if [ "${v:-0}" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$candidate; best_v=$v; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(orbita_java_major "$home")
    [ "${v:-0}" -ge 21 ] && best=$home
  fi
  if [ -z "$best" ]; then
    echo "Orbita needs a JDK 21 or newer; none found (set JAVA_HOME)." >&2
    return 1
  fi
  JAVA_HOME=$best
  export JAVA_HOME
}
orbita_select_jdk || exit 1
