#!/usr/bin/env bash
# bench/run mta [messages] [sessions-per-domain] [dkim: rsa|ed25519|none] [retry]
# 70 KB messages to 10 test domains, injected over SMTP by Postfix's smtp-source into one
# Orbita MTA node (durable spool, DKIM-signed), relayed to Postfix's smtp-sink on loopback;
# reports messages/s from the first injection to the last delivery, then smtp-source straight
# to the same sink with the same sessions, and the ratio. With "retry", one domain in ten goes to
# a second sink that answers every RCPT with 4xx: the other 90 % are timed while the retry path
# works beside them. Needs Debian's postfix package.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/select-jdk.sh
messages=${1:-40000}
sessions=${2:-3}
dkim=${3:-rsa}
retry=${4:-}
for tool in /usr/sbin/smtp-sink /usr/sbin/smtp-source; do
  [ -x "$tool" ] || { echo "needs $tool: apt-get install postfix (choose 'No configuration')" >&2; exit 2; }
done
[ -f mta/target/orbita-mta.jar ] || ./mvnw -B -q install -DskipTests -pl mta -am
work=$(mktemp -d /tmp/orbita-mta-bench-XXXX)
sink_port=${BENCH_SINK_PORT:-25026}
smtp_port=${BENCH_SMTP_PORT:-25250}
http_port=${BENCH_HTTP_PORT:-28025}
cat >"$work/mta.properties" <<CONF
mta.hostname=bench.orbita.test
mta.smtp.port=$smtp_port
mta.smtp.bind=127.0.0.1
mta.http.port=$http_port
mta.http.bind=127.0.0.1
mta.http.token=bench
mta.spool.dir=$work/spool
mta.route.*=127.0.0.1:$sink_port
mta.delivery.max-connections=16
mta.delivery.retry-base=5s
CONF
if [ "$retry" = retry ]; then
  echo "mta.route.d10.test=127.0.0.1:$((sink_port + 1))" >>"$work/mta.properties"
fi
case "$dkim" in
  rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/dkim.pem" 2>/dev/null ;;
  ed25519) openssl genpkey -algorithm ED25519 -out "$work/dkim.pem" ;;
  none) ;;
  *) echo "dkim: rsa, ed25519 or none" >&2; exit 2 ;;
esac
if [ "$dkim" != none ]; then
  printf 'mta.dkim.bench.orbita.test.selector=s1\nmta.dkim.bench.orbita.test.key=%s\n' "$work/dkim.pem" >>"$work/mta.properties"
fi
user_opt=(); [ "$(id -u)" = 0 ] && user_opt=(-u nobody)
/usr/sbin/smtp-sink "${user_opt[@]}" 127.0.0.1:$sink_port 2000 >"$work/sink.log" 2>&1 &
sink=$!
if [ "$retry" = retry ]; then
  /usr/sbin/smtp-sink "${user_opt[@]}" -r RCPT 127.0.0.1:$((sink_port + 1)) 2000 >"$work/sink-4xx.log" 2>&1 &
  sink2=$!
fi
"$JAVA_HOME/bin/java" ${BENCH_HEAP:--Xmx1g} --enable-native-access=ALL-UNNAMED -cp "mta/target/orbita-mta.jar:mta/target/lib/*" \
  org.orbita.mta.MtaMain "$work/mta.properties" >"$work/mta.log" 2>&1 &
mta=$!
trap 'kill $mta $sink ${sink2:-} 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.2; done
grep -o "Orbita MTA.*" "$work/mta.log"
delivered() { curl -s "http://127.0.0.1:$http_port/metrics" | awk '/outcome="delivered"/ {s += $2} END {print s + 0}'; }
inject() { # host:port
  local per=$((messages / 10)) d
  for d in 1 2 3 4 5 6 7 8 9 10; do
    /usr/sbin/smtp-source -s "$sessions" -l 70000 -m "$per" -f news@bench.orbita.test -t "user@d$d.test" -N "$1" &
  done
  wait $(jobs -p | grep -v -e "^$mta\$" -e "^$sink\$" -e "^${sink2:-none}\$") 2>/dev/null || true
}
start=$(date +%s.%N)
inject 127.0.0.1:$smtp_port
injected=$(date +%s.%N)
expected=$messages
[ "$retry" = retry ] && expected=$((messages * 9 / 10))
while [ "$(delivered)" -lt "$expected" ]; do sleep 0.1; done
end=$(date +%s.%N)
rss=$(ps -o rss= -p $mta)
ours=$(echo "$expected / ($end - $start)" | bc)
echo "Orbita MTA: $messages messages of 70 KB, DKIM $dkim, 10 domains x $sessions sessions${retry:+, 1 domain in 10 answering 4xx}: injected in $(echo "$injected - $start" | bc) s, $expected delivered after $(echo "$end - $start" | bc) s = $ours deliveries/s (RSS $((rss / 1024)) MB)"
if [ "$retry" = retry ]; then
  curl -s "http://127.0.0.1:$http_port/metrics" | grep -E 'outcome="(deferred|bounced)"' || true
  exit 0
fi
start=$(date +%s.%N)
inject 127.0.0.1:$sink_port
end=$(date +%s.%N)
theirs=$(echo "$messages / ($end - $start)" | bc)
echo "smtp-source straight to smtp-sink, same messages and sessions: $theirs messages/s; Orbita / smtp-source = $(echo "scale=2; $ours / $theirs" | bc)"
