"""Verifies a DKIM-signed message with dkimpy (Debian's python3-dkim), an implementation
independent of Orbita's. Usage: dkim_verify.py MESSAGE_FILE DNS_TXT_RECORD; prints "ok" or "fail"."""
import sys
import dkim

message = open(sys.argv[1], 'rb').read()
record = sys.argv[2].encode()


def dns(name, timeout=5):
    return record


print("ok" if dkim.verify(message, dnsfunc=dns) else "fail")
