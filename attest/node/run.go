package node

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zkfleet/zkfleet/zkvm/keys"
)

// Environment variables read when the corresponding file is not given.
const (
	EnvToken      = "ZKFLEET_NODE_TOKEN"
	EnvPassphrase = "ZKFLEET_NODE_PASSPHRASE"
)

// AddrFile is written in the data directory with the address the node
// listens on (useful with port 0).
const AddrFile = "node.addr"

// Options configure `zkfleet node`.
type Options struct {
	DataDir        string
	Listen         string
	TokenFile      string
	PassphraseFile string
	TLSCert        string
	TLSKey         string
	// Insecure allows plain HTTP on a non-loopback address.
	Insecure bool
	// Verifier is "zkvm" (proof files checked with the node's key store
	// in KeyDir) or "trusted-prover" (statements signed by ProverKey, hex
	// Ed25519 public key).
	Verifier  string
	KeyDir    string
	ProverKey string
	// PeersFile pins the identities of the nodes this node accepts in a
	// key generation: one hex Ed25519 public key per line ('#' comments).
	// Without it the key-generation driver is trusted to relay packages.
	PeersFile string
	Logger    *slog.Logger
}

// LoadPeers reads a peers file.
func LoadPeers(path string) ([]ed25519.PublicKey, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("node: peers file: %w", err)
	}
	var out []ed25519.PublicKey
	for i, line := range strings.Split(string(raw), "\n") {
		line, _, _ = strings.Cut(line, "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, err := hex.DecodeString(line)
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("node: peers file %s line %d: not a hex Ed25519 public key", path, i+1)
		}
		out = append(out, k)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("node: peers file %s lists no identity", path)
	}
	return out, nil
}

// secretFrom reads a secret from a file, or from an environment variable
// when the file is not given; surrounding white space is dropped.
func secretFrom(file, env, what string) ([]byte, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("node: read %s: %w", what, err)
		}
		return []byte(strings.TrimSpace(string(b))), nil
	}
	if v, ok := os.LookupEnv(env); ok {
		return []byte(strings.TrimSpace(v)), nil
	}
	return nil, fmt.Errorf("node: no %s: give a file or set %s", what, env)
}

// isLoopback reports whether a listen address binds loopback only.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckTransport refuses plain HTTP on a non-loopback address unless
// insecure is set.
func CheckTransport(listen string, tlsOn, insecure bool) error {
	if tlsOn || insecure || isLoopback(listen) {
		return nil
	}
	return fmt.Errorf("node: refusing plain HTTP on non-loopback address %s: give --tls-cert and --tls-key, or --insecure", listen)
}

func (o *Options) verifier() (Verifier, error) {
	switch o.Verifier {
	case "zkvm", "":
		ks, err := keys.Open(o.KeyDir)
		if err != nil {
			return nil, err
		}
		return ZKVMVerifier{Keys: ks}, nil
	case "trusted-prover":
		k, err := hex.DecodeString(o.ProverKey)
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, errors.New("node: --prover-key must be a 32-byte hex Ed25519 public key")
		}
		return TrustedProverVerifier{Key: k}, nil
	default:
		return nil, fmt.Errorf("node: unknown verifier %q (zkvm or trusted-prover)", o.Verifier)
	}
}

// Run serves the node until ctx is cancelled, then drains for up to ten
// seconds.
func Run(ctx context.Context, o Options) error {
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	if o.DataDir == "" {
		return errors.New("node: --data-dir is required")
	}
	tlsOn := o.TLSCert != "" || o.TLSKey != ""
	if tlsOn && (o.TLSCert == "" || o.TLSKey == "") {
		return errors.New("node: --tls-cert and --tls-key go together")
	}
	if err := CheckTransport(o.Listen, tlsOn, o.Insecure); err != nil {
		return err
	}
	token, err := secretFrom(o.TokenFile, EnvToken, "bearer token")
	if err != nil {
		return err
	}
	pass, err := secretFrom(o.PassphraseFile, EnvPassphrase, "storage passphrase")
	if err != nil {
		return err
	}
	v, err := o.verifier()
	if err != nil {
		return err
	}
	var peers []ed25519.PublicKey
	if o.PeersFile != "" {
		if peers, err = LoadPeers(o.PeersFile); err != nil {
			return err
		}
	}
	store, err := OpenStore(o.DataDir, pass)
	if err != nil {
		return err
	}
	defer store.Close()
	srv, err := NewServer(Config{Store: store, Verifier: v, Logger: log, Peers: peers})
	if err != nil {
		return err
	}
	h, err := srv.Handler(string(token))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return fmt.Errorf("node: listen: %w", err)
	}
	// No write timeout: a fragment answer waits for the proof verification,
	// bounded by the client's timeout and by MaxConcurrentVerifications.
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if tlsOn {
		cert, err := tls.LoadX509KeyPair(o.TLSCert, o.TLSKey)
		if err != nil {
			ln.Close()
			return fmt.Errorf("node: tls: %w", err)
		}
		hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, hs.TLSConfig)
		scheme = "https"
	}
	url := scheme + "://" + ln.Addr().String()
	if err := os.WriteFile(filepath.Join(o.DataDir, AddrFile), []byte(url+"\n"), 0o600); err != nil {
		ln.Close()
		return fmt.Errorf("node: write address: %w", err)
	}
	log.Info("attestation node listening", "url", url, "identity", srv.publicIdentity(), "pinned_peers", len(peers), "verifier", o.Verifier, "data_dir", o.DataDir)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("node: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("node: shutdown: %w", err)
	}
	log.Info("attestation node stopped")
	return nil
}
