package node

import (
	"crypto/rand"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/scrypt"
)

// KDF is the scrypt cost of the at-rest key. It is chosen when a data
// directory is created and recorded there beside the salt.
type KDF struct {
	N int `json:"n"`
	R int `json:"r"`
	P int `json:"p"`
}

// DefaultKDF is interactive-login strength: about 32 MiB and tens of
// milliseconds, paid once at start.
var DefaultKDF = KDF{N: 1 << 15, R: 8, P: 1}

func (k KDF) check() error {
	if k.N < 1<<10 || k.N > 1<<22 || k.N&(k.N-1) != 0 || k.R < 1 || k.R > 64 || k.P < 1 || k.P > 16 {
		return fmt.Errorf("node: scrypt parameters %+v out of range", k)
	}
	return nil
}

// MinPassphraseLen bounds the passphrase from below.
const MinPassphraseLen = 12

// sealer encrypts records at rest with XChaCha20-Poly1305 under a key
// derived from the operator's passphrase with scrypt. The record's name is
// the associated data, so a ciphertext moved to another record fails to
// open.
type sealer struct {
	key []byte
}

func newSealer(passphrase, salt []byte, kdf KDF) (*sealer, error) {
	if len(passphrase) < MinPassphraseLen {
		return nil, fmt.Errorf("node: passphrase shorter than %d bytes", MinPassphraseLen)
	}
	if err := kdf.check(); err != nil {
		return nil, err
	}
	key, err := scrypt.Key(passphrase, salt, kdf.N, kdf.R, kdf.P, chacha20poly1305.KeySize)
	if err != nil {
		return nil, fmt.Errorf("node: derive storage key: %w", err)
	}
	return &sealer{key: key}, nil
}

func (s *sealer) seal(plaintext, name []byte) ([]byte, error) {
	return sealWith(s.key, plaintext, name)
}

func (s *sealer) open(ciphertext, name []byte) ([]byte, error) {
	return openWith(s.key, ciphertext, name)
}

// sealWith encrypts with a random 24-byte nonce prepended.
func sealWith(key, plaintext, ad []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, plaintext, ad), nil
}

var errDecrypt = errors.New("decryption failed (wrong key or tampered data)")

func openWith(key, ciphertext, ad []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	if len(ciphertext) < aead.NonceSize()+aead.Overhead() {
		return nil, errDecrypt
	}
	out, err := aead.Open(nil, ciphertext[:aead.NonceSize()], ciphertext[aead.NonceSize():], ad)
	if err != nil {
		return nil, errDecrypt
	}
	return out, nil
}
