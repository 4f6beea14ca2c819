package keys

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// ManifestVersion is the version of the manifest JSON layout. Version 2
// added the rollup chunk circuit: one fold key serves both job kinds.
const ManifestVersion = 2

// Circuit kinds named in a manifest, in the fixed order used by BlobIDs and
// by the fold circuit of zkvm/agg (the index of a kind is its slot among
// the fold's embedded keys). The first four are the zkVM's leaves, chunk
// is the rollup's leaf, and the fold folds proofs of either job kind.
var Kinds = []string{"cpu", "memory", "input", "output", "chunk", "fold"}

// Shape fixes the size of every leaf circuit of a key set.
type Shape struct {
	CPUSteps  int `json:"cpu_steps"`  // steps per CPU segment
	MemRows   int `json:"mem_rows"`   // rows per memory-table chunk
	TapeBytes int `json:"tape_bytes"` // bytes per input/output tape chunk
	// The rollup chunk circuit: state tree depth and transaction slots.
	ChunkDepth int `json:"chunk_depth"`
	ChunkSlots int `json:"chunk_slots"`
}

// CircuitKeys are the blob ids of one circuit kind's constraint system,
// proving key and verifying key.
type CircuitKeys struct {
	CCS string `json:"ccs"`
	PK  string `json:"pk"`
	VK  string `json:"vk"`
}

// Manifest describes a key set.
type Manifest struct {
	Version  int                    `json:"version"`
	Shape    Shape                  `json:"shape"`
	Circuits map[string]CircuitKeys `json:"circuits"`
	// Dev marks keys generated from local randomness (no ceremony): fine
	// for development, unfit for production.
	Dev bool `json:"dev,omitempty"`
}

// Marshal encodes the manifest deterministically (sorted map keys).
func (m *Manifest) Marshal() ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return marshalIndent(m)
}

// Validate checks the version, the shape and that every kind names three
// well-formed blob ids.
func (m *Manifest) Validate() error {
	if m.Version != ManifestVersion {
		if m.Version < ManifestVersion {
			return fmt.Errorf("keys: manifest version %d is from an older zkfleet (want %d): run zkfleet setup again", m.Version, ManifestVersion)
		}
		return fmt.Errorf("keys: manifest version %d, want %d", m.Version, ManifestVersion)
	}
	if m.Shape.CPUSteps <= 0 || m.Shape.MemRows <= 0 || m.Shape.TapeBytes <= 0 || m.Shape.ChunkDepth <= 0 || m.Shape.ChunkSlots <= 0 {
		return fmt.Errorf("keys: manifest shape %+v not positive", m.Shape)
	}
	if len(m.Circuits) != len(Kinds) {
		return fmt.Errorf("keys: manifest has %d circuits, want %d", len(m.Circuits), len(Kinds))
	}
	for _, k := range Kinds {
		c, ok := m.Circuits[k]
		if !ok {
			return fmt.Errorf("keys: manifest lacks circuit %q", k)
		}
		for _, id := range []string{c.CCS, c.PK, c.VK} {
			if !ValidID(id) {
				return fmt.Errorf("keys: manifest circuit %q has malformed blob id %q", k, id)
			}
		}
	}
	return nil
}

// BlobIDs lists every blob the manifest names: for each kind in Kinds
// order, ccs, pk, vk.
func (m *Manifest) BlobIDs() []string {
	out := make([]string, 0, 3*len(Kinds))
	for _, k := range Kinds {
		c := m.Circuits[k]
		out = append(out, c.CCS, c.PK, c.VK)
	}
	return out
}

// ParseManifest decodes and validates a manifest, rejecting unknown fields.
func ParseManifest(b []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("keys: decode manifest: %w", err)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}
