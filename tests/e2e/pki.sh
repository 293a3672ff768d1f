# pki.sh - a test certificate authority and its certificates, made with the
# openssl command (sourced, not run).
#
#   pki_ca DIR                      a CA (EC P-256) in DIR
#   pki_cert DIR NAME CN KIND [EXT [START END]]
#                                   DIR/NAME.key and DIR/NAME.pem, signed by
#                                   the CA; KIND is rsa, p256, p384 or ed25519;
#                                   EXT a section of the CA's config (signer,
#                                   nosign); START and END as openssl ca takes
#                                   them (YYYYMMDDHHMMSSZ); EXT tsa makes a
#                                   time-stamping authority's certificate
#   pki_tsa_section DIR NAME         appends to DIR/tsa.cnf the section NAME,
#                                   a TSA (for openssl ts -reply) that signs
#                                   with DIR/NAME.key and DIR/NAME.pem

pki_ca() {
	local dir=$1
	mkdir -p "$dir/db"
	: >"$dir/db/index.txt"
	echo 1000 >"$dir/db/serial"
	cat >"$dir/ca.cnf" <<CNF
[ ca ]
default_ca = test
[ test ]
dir = $dir
database = $dir/db/index.txt
serial = $dir/db/serial
new_certs_dir = $dir/db
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = sha256
default_days = 365
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
[ signer ]
keyUsage = critical, digitalSignature, nonRepudiation
[ nosign ]
keyUsage = critical, keyEncipherment, dataEncipherment
[ tsa ]
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
[ tsa_noeku ]
keyUsage = critical, digitalSignature, nonRepudiation
CNF
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/ca.key" \
		-out "$dir/ca.pem" -days 3650 -subj "/CN=custos test CA" 2>/dev/null
}

pki_cert() {
	local dir=$1 name=$2 cn=$3 kind=$4 ext=${5:-signer} start=${6:-} end=${7:-}
	local newkey
	case $kind in
	rsa) newkey=(-newkey rsa:2048) ;;
	p256) newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256) ;;
	p384) newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-384) ;;
	ed25519) newkey=(-newkey ed25519) ;;
	esac
	openssl req "${newkey[@]}" -nodes -keyout "$dir/$name.key" -out "$dir/$name.csr" \
		-subj "/CN=$cn" 2>/dev/null
	openssl ca -batch -config "$dir/ca.cnf" -in "$dir/$name.csr" -out "$dir/$name.pem" \
		-extensions "$ext" ${start:+-startdate "$start"} ${end:+-enddate "$end"} -notext 2>/dev/null
}

pki_tsa_section() {
	local dir=$1 name=$2
	[ -f "$dir/$name.serial" ] || echo 01 >"$dir/$name.serial"
	cat >>"$dir/tsa.cnf" <<CNF
[ $name ]
serial = $dir/$name.serial
crypto_device = builtin
signer_cert = $dir/$name.pem
signer_key = $dir/$name.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
other_policies = 1.3.6.1.4.1.99999.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
CNF
}
