#!/usr/bin/env bash
# The TLS material of the stack, made once by the `certs` service (Elasticsearch image,
# as root, the only service that runs as root).
#
#   /usr/share/elasticsearch/config/certs   (volume es-certs, mounted by es01 only)
#     ca/ca.crt, ca/ca.key (0600: nobody else needs the CA key), es01/es01.{crt,key}
#   /ca/ca.crt                              (volume es-ca, read-only everywhere else)
#
# Idempotent: existing files are kept, so restarting the stack keeps its certificates.
set -euo pipefail
cd /usr/share/elasticsearch
certs=config/certs

if [[ ! -f ${certs}/ca/ca.crt ]]; then
  echo "certs: creating the certificate authority"
  bin/elasticsearch-certutil ca --silent --pem --days "${CERT_DAYS:-1095}" -out ${certs}/ca.zip
  unzip -q -o ${certs}/ca.zip -d ${certs}
  rm -f ${certs}/ca.zip
fi
if [[ ! -f ${certs}/es01/es01.crt ]]; then
  echo "certs: creating the certificate of es01"
  cat > ${certs}/instances.yml <<'YAML'
instances:
  - name: es01
    dns: [es01, localhost]
    ip: [127.0.0.1]
YAML
  bin/elasticsearch-certutil cert --silent --pem --days "${CERT_DAYS:-1095}" \
    --in ${certs}/instances.yml --ca-cert ${certs}/ca/ca.crt --ca-key ${certs}/ca/ca.key \
    -out ${certs}/certs.zip
  unzip -q -o ${certs}/certs.zip -d ${certs}
  rm -f ${certs}/certs.zip
fi

# Elasticsearch runs as uid 1000, gid 0: group 0 may read its own key and certificate.
chown -R root:root ${certs}
find ${certs} -type d -exec chmod 750 {} \;
find ${certs} -type f -exec chmod 640 {} \;
chmod 600 ${certs}/ca/ca.key

# Everyone else gets the CA certificate only.
install -m 0644 ${certs}/ca/ca.crt /ca/ca.crt
echo "certs: ready"
