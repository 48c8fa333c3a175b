#!/usr/bin/env bash
# A development CA and certificates for mutual TLS on the cluster port (docs/security.md):
#   tools/gen-certs.sh DIR [NAME...]
# writes DIR/ca.pem and DIR/ca.key (the cluster's CA), and for each NAME (default: node1 node2
# node3 admin) DIR/NAME.pem and DIR/NAME.key, signed by that CA, good for both ends of a
# connection (the cluster port's mutual TLS, or a REST port's HTTPS). Each certificate names
# NAME, localhost and 127.0.0.1; a REST certificate for other host names needs them in its
# subjectAltName. An existing CA in DIR is reused, so more nodes can be added later. For
# development and tests: keys are unencrypted and valid for 825 days.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 DIR [NAME...]" >&2
  exit 2
fi
dir=$1
shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(node1 node2 node3 admin)
mkdir -p "$dir"
cd "$dir"
umask 077
if [ ! -f ca.pem ] || [ ! -f ca.key ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 \
    -subj "/CN=OVO development cluster CA" -keyout ca.key -out ca.pem 2>/dev/null
fi
for name in "${names[@]}"; do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$name" \
    -keyout "$name.key" -out "$name.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' \
    "$name" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 \
    -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
done
chmod 644 ca.pem ./*.pem
echo "CA and certificates for ${names[*]} in $dir"
