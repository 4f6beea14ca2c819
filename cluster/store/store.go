// Package store persists the coordinator's programs, jobs and proofs in a
// bbolt file under --data-dir, so a restarted coordinator still serves
// completed proofs and re-queues interrupted jobs.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/zkfleet/zkfleet/engine"
)

var (
	bucketPrograms = []byte("programs")
	bucketJobs     = []byte("jobs")
	bucketProofs   = []byte("proofs")
)

// ErrNotFound is returned for a missing program, job or proof.
var ErrNotFound = errors.New("not found")

// Job is the persisted form of a job: enough to re-run it (program id,
// input, limits) and to answer queries after a restart.
type Job struct {
	ID                string    `json:"id"`
	Kind              string    `json:"kind,omitempty"` // "" = riscv
	ProgramID         string    `json:"program_id"`
	Input             []byte    `json:"input"`
	MaxCycles         uint64    `json:"max_cycles"`
	RequestedCapacity uint32    `json:"requested_capacity"`
	State             int32     `json:"state"` // zkfleetv1.JobState
	Error             string    `json:"error,omitempty"`
	Created           time.Time `json:"created"`
	Finished          time.Time `json:"finished,omitzero"`
	Attempt           uint32    `json:"attempt"`
	Leaves            uint32    `json:"leaves"`
	Cycles            uint64    `json:"cycles"`
	ExitCode          uint32    `json:"exit_code"`
	Output            []byte    `json:"output,omitempty"`
	Events            []Event   `json:"events,omitempty"`
	// The plan beyond the RISC-V statement: its key set, prover, phases,
	// fold tree (nil: the canonical one) and statement summary.
	KeySet         string        `json:"key_set,omitempty"`
	Mock           bool          `json:"mock,omitempty"`
	NoContribution bool          `json:"no_contribution,omitempty"`
	Tree           []engine.Node `json:"tree,omitempty"`
	Summary        []Field       `json:"summary,omitempty"`
}

// Field is one line of a plan's statement summary.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Event is a persisted job event (state transitions only; per-leaf
// progress is not worth a disk write).
type Event struct {
	Kind    string    `json:"kind"`
	Message string    `json:"message,omitempty"`
	Time    time.Time `json:"time"`
}

// Store is a bbolt database; safe for concurrent use.
type Store struct{ db *bolt.DB }

// Open opens (creating) dir/coordinator.db.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db, err := bolt.Open(filepath.Join(dir, "coordinator.db"), 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dir, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketPrograms, bucketJobs, bucketProofs} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: init: %w", err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// PutProgram stores an ELF under id; it reports whether it already existed.
func (s *Store) PutProgram(id string, elf []byte) (existed bool, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPrograms)
		if b.Get([]byte(id)) != nil {
			existed = true
			return nil
		}
		return b.Put([]byte(id), elf)
	})
	if err != nil {
		return false, fmt.Errorf("store: put program: %w", err)
	}
	return existed, nil
}

// Program returns the ELF stored under id.
func (s *Store) Program(id string) ([]byte, error) {
	var elf []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketPrograms).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("program %s: %w", id, ErrNotFound)
		}
		elf = append([]byte(nil), v...)
		return nil
	})
	return elf, err
}

// PutJob writes a job record.
func (s *Store) PutJob(j *Job) error {
	data, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("store: encode job: %w", err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketJobs).Put([]byte(j.ID), data) }); err != nil {
		return fmt.Errorf("store: put job: %w", err)
	}
	return nil
}

// Jobs returns every stored job, ordered by id (ids sort by creation).
func (s *Store) Jobs() ([]*Job, error) {
	var jobs []*Job
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketJobs).ForEach(func(_, v []byte) error {
			var j Job
			if err := json.Unmarshal(v, &j); err != nil {
				return err
			}
			jobs = append(jobs, &j)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: list jobs: %w", err)
	}
	return jobs, nil
}

// PutProof stores the proof file of a completed job.
func (s *Store) PutProof(jobID string, proof []byte) error {
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketProofs).Put([]byte(jobID), proof) }); err != nil {
		return fmt.Errorf("store: put proof: %w", err)
	}
	return nil
}

// Proof returns the stored proof of jobID.
func (s *Store) Proof(jobID string) ([]byte, error) {
	var p []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketProofs).Get([]byte(jobID))
		if v == nil {
			return fmt.Errorf("proof of %s: %w", jobID, ErrNotFound)
		}
		p = append([]byte(nil), v...)
		return nil
	})
	return p, err
}

// HasJob reports whether a job record is stored under id.
func (s *Store) HasJob(id string) (bool, error) {
	var has bool
	err := s.db.View(func(tx *bolt.Tx) error {
		has = tx.Bucket(bucketJobs).Get([]byte(id)) != nil
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: has job: %w", err)
	}
	return has, nil
}
