package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketCheckpoints = []byte("checkpoints")
	// bucketPartials holds each leaf and fold proof as it lands, keyed
	// "<job id>/<node, 8 digits>", so a restart resumes exactly; Checkpoint
	// merges them into the phase checkpoint's proofs.
	bucketPartials = []byte("partials")
)

func partialPrefix(jobID string) []byte { return []byte(jobID + "/") }

// PutPartial stores the proof of fold-tree node of jobID as soon as it is
// accepted (one small write per leaf or fold).
func (s *Store) PutPartial(jobID string, node int, proof []byte) error {
	if node < 0 {
		return fmt.Errorf("store: put partial: negative node %d", node)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketPartials)
		if err != nil {
			return err
		}
		return b.Put(fmt.Appendf(partialPrefix(jobID), "%08d", node), proof)
	})
	if err != nil {
		return fmt.Errorf("store: put partial: %w", err)
	}
	return nil
}

// partials returns jobID's stored partial proofs by node.
func partials(tx *bolt.Tx, jobID string) (map[int][]byte, error) {
	b := tx.Bucket(bucketPartials)
	if b == nil {
		return nil, nil
	}
	out := map[int][]byte{}
	pre := partialPrefix(jobID)
	cur := b.Cursor()
	for k, v := cur.Seek(pre); k != nil && bytes.HasPrefix(k, pre); k, v = cur.Next() {
		node, err := strconv.Atoi(string(k[len(pre):]))
		if err != nil || node < 0 {
			return nil, fmt.Errorf("partial proof key %q", k)
		}
		out[node] = append([]byte(nil), v...)
	}
	return out, nil
}

// deletePartials removes jobID's partial proofs.
func deletePartials(tx *bolt.Tx, jobID string) error {
	b := tx.Bucket(bucketPartials)
	if b == nil {
		return nil
	}
	pre := partialPrefix(jobID)
	var keys [][]byte
	cur := b.Cursor()
	for k, _ := cur.Seek(pre); k != nil && bytes.HasPrefix(k, pre); k, _ = cur.Next() {
		keys = append(keys, append([]byte(nil), k...))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

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
	// Tries counts the dispatches of each unfinished task of the phase
	// (node id → attempts), Retries the job's task retries: a task that
	// keeps failing still fails its job after restarts.
	Tries   map[int]int `json:"tries,omitempty"`
	Retries int         `json:"retries,omitempty"`
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
		// Partial proofs answer one challenge: a checkpoint with another
		// (or none before it) starts the job's proving over.
		var prev Checkpoint
		if v := b.Get([]byte(jobID)); v == nil || json.Unmarshal(v, &prev) != nil || !bytes.Equal(prev.Challenge, cp.Challenge) {
			if err := deletePartials(tx, jobID); err != nil {
				return err
			}
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
		ps, err := partials(tx, jobID)
		if err != nil {
			return fmt.Errorf("store: checkpoint of %s: %w", jobID, err)
		}
		for node, p := range ps {
			if cp.Proofs == nil {
				cp.Proofs = map[int][]byte{}
			}
			if _, ok := cp.Proofs[node]; !ok {
				cp.Proofs[node] = p
			}
		}
		return nil
	})
	return cp, err
}

// DeleteCheckpoint removes jobID's checkpoint and partial proofs, if any.
func (s *Store) DeleteCheckpoint(jobID string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketCheckpoints); b != nil {
			if err := b.Delete([]byte(jobID)); err != nil {
				return err
			}
		}
		return deletePartials(tx, jobID)
	})
	if err != nil {
		return fmt.Errorf("store: delete checkpoint: %w", err)
	}
	return nil
}
