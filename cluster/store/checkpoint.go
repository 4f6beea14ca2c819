package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

var bucketCheckpoints = []byte("checkpoints")

// Checkpoint is what a running job needs to resume after a coordinator
// restart without redoing the phases it finished: the global challenge
// (from PROVE on) and the partial proofs of the fold tree's frontier —
// the proved nodes whose parent is not proved yet — from AGGREGATE on
// (in FINALIZE, only the root). Partial proofs are small (a claim and a
// Groth16 proof), so a checkpoint is written whole at each phase change.
type Checkpoint struct {
	Phase     int32          `json:"phase"` // zkfleetv1.JobPhase
	KeySet    string         `json:"key_set,omitempty"`
	Challenge []byte         `json:"challenge"`
	Proofs    map[int][]byte `json:"proofs,omitempty"` // claim.Tree node id → partial proof
}

// PutCheckpoint replaces jobID's checkpoint.
func (s *Store) PutCheckpoint(jobID string, cp *Checkpoint) error {
	data, err := json.Marshal(cp)
	if err != nil {
		return fmt.Errorf("store: encode checkpoint: %w", err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketCheckpoints)
		if err != nil {
			return err
		}
		return b.Put([]byte(jobID), data)
	})
	if err != nil {
		return fmt.Errorf("store: put checkpoint: %w", err)
	}
	return nil
}

// Checkpoint returns jobID's checkpoint (ErrNotFound if it has none).
func (s *Store) Checkpoint(jobID string) (*Checkpoint, error) {
	var cp *Checkpoint
	err := s.db.View(func(tx *bolt.Tx) error {
		var v []byte
		if b := tx.Bucket(bucketCheckpoints); b != nil {
			v = b.Get([]byte(jobID))
		}
		if v == nil {
			return fmt.Errorf("checkpoint of %s: %w", jobID, ErrNotFound)
		}
		cp = &Checkpoint{}
		if err := json.Unmarshal(v, cp); err != nil {
			return fmt.Errorf("store: decode checkpoint of %s: %w", jobID, err)
		}
		return nil
	})
	return cp, err
}

// DeleteCheckpoint removes jobID's checkpoint, if any.
func (s *Store) DeleteCheckpoint(jobID string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketCheckpoints); b != nil {
			return b.Delete([]byte(jobID))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: delete checkpoint: %w", err)
	}
	return nil
}
