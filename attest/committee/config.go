package committee

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"os"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/api"
	"github.com/zkfleet/zkfleet/attest/frost"
)

// Member is one node of a committee.
type Member struct {
	Identifier     uint16          `json:"identifier"`
	URL            string          `json:"url"`
	VerifyingShare attest.HexBytes `json:"verifying_share"`
	// Identity is the node's long-term Ed25519 key that signed its
	// key-generation package.
	Identity attest.HexBytes `json:"identity"`
}

// Config describes a committee: its group key, threshold and members. It
// holds no secret; Keygen produces it and Attest needs it.
type Config struct {
	GroupKey  attest.HexBytes `json:"group_key"`
	Threshold int             `json:"threshold"`
	Members   []Member        `json:"members"`
}

// Public decodes the committee's public key package.
func (c *Config) Public() (*frost.PublicKeyPackage, error) {
	shares := make([]api.VerifyingShare, len(c.Members))
	for i, m := range c.Members {
		shares[i] = api.VerifyingShare{Identifier: m.Identifier, Key: m.VerifyingShare}
	}
	return api.ToPublic(c.GroupKey, c.Threshold, shares)
}

// PublicKey is the committee's Ed25519 public key.
func (c *Config) PublicKey() ed25519.PublicKey { return ed25519.PublicKey(c.GroupKey) }

// LoadConfig reads a committee file.
func LoadConfig(path string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("committee: %w", err)
	}
	var c Config
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("committee: %s: %w", path, err)
	}
	if _, err := c.Public(); err != nil {
		return nil, fmt.Errorf("committee: %s: %w", path, err)
	}
	return &c, nil
}

// Save writes the committee file.
func (c *Config) Save(path string) error {
	raw, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(raw, '\n'), 0o644)
}

// jsonUnmarshalStrict decodes one JSON value, refusing unknown fields.
func jsonUnmarshalStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
