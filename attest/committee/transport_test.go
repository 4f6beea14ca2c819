package committee

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "zkfleet test node"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile = writeFile(t, dir, "cert.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	keyFile = writeFile(t, dir, "key.pem", string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})))
	return certFile, keyFile
}

// TestNodeProcessTransport: `zkfleet node` refuses plain HTTP on a
// non-loopback address, serves TLS with a given certificate (key
// generation over it trusting the CA file), and refuses to open its data
// directory with another passphrase.
func TestNodeProcessTransport(t *testing.T) {
	bin := buildZkfleet(t)
	dir := t.TempDir()
	tokenFile := writeFile(t, dir, "token", hex.EncodeToString(randomBytes(t, 24)))
	passFile := writeFile(t, dir, "pass", "transport test passphrase")
	otherPass := writeFile(t, dir, "pass2", "another passphrase entirely")
	proverKey := hex.EncodeToString(randomBytes(t, 32))
	common := []string{"--token-file", tokenFile, "--verifier", "trusted-prover", "--prover-key", proverKey}

	_, err := run(t, bin, append([]string{"node", "--data-dir", filepath.Join(dir, "plain"), "--listen", "0.0.0.0:0", "--passphrase-file", passFile}, common...)...)
	if err == nil || !strings.Contains(err.Error(), "refusing plain HTTP") {
		t.Fatalf("plain HTTP on 0.0.0.0: want a refusal, got %v", err)
	}

	badPeers := writeFile(t, dir, "peers", "not a key\n")
	_, err = run(t, bin, append([]string{"node", "--data-dir", filepath.Join(dir, "node-with-bad-peers"), "--listen", "127.0.0.1:0", "--passphrase-file", passFile, "--peers-file", badPeers}, common...)...)
	if err == nil || !strings.Contains(err.Error(), "peers file") {
		t.Fatalf("malformed peers file: want a refusal, got %v", err)
	}

	cert, key := selfSigned(t, dir)
	var urls []string
	var first *nodeProc
	for i := range 2 {
		p := &nodeProc{t: t, bin: bin, dataDir: filepath.Join(dir, "tls", string(rune('a'+i))),
			args: append([]string{"--passphrase-file", passFile, "--tls-cert", cert, "--tls-key", key}, common...)}
		p.startTLS(cert)
		if !strings.HasPrefix(p.url, "https://") {
			t.Fatalf("node url %s is not https", p.url)
		}
		urls = append(urls, p.url)
		if first == nil {
			first = p
		}
	}
	out := filepath.Join(dir, "committee.json")
	if _, err := run(t, bin, "attest", "keygen", "--token-file", tokenFile, "--nodes", strings.Join(urls, ","), "--threshold", "2", "--out", out); err == nil {
		t.Fatal("keygen succeeded without trusting the node certificate")
	}
	if _, err := run(t, bin, "attest", "keygen", "--token-file", tokenFile, "--ca-file", cert, "--nodes", strings.Join(urls, ","), "--threshold", "2", "--out", out); err != nil {
		t.Fatalf("keygen over TLS: %v", err)
	}
	if _, err := LoadConfig(out); err != nil {
		t.Fatal(err)
	}

	first.stop(syscall.SIGTERM)
	_, err = run(t, bin, append([]string{"node", "--data-dir", first.dataDir, "--listen", "127.0.0.1:0", "--passphrase-file", otherPass}, common...)...)
	if err == nil || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Fatalf("other passphrase: want a refusal, got %v", err)
	}
}
