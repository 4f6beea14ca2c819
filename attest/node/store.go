package node

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Buckets of the node database. Every value but the salt and the nonce
// issue times is sealed.
var (
	bucketMeta   = []byte("meta")
	bucketDKG    = []byte("dkg")
	bucketKeys   = []byte("keys")
	bucketNonces = []byte("nonces")
)

var (
	keySalt  = []byte("salt")
	keyKDF   = []byte("kdf")
	keyCheck = []byte("check")
)

const checkPlaintext = "zkfleet attestation node store v1"

// DefaultMaxOutstandingNonces bounds the issued, unused nonces a node
// keeps.
const DefaultMaxOutstandingNonces = 4096

// ErrNonceUnavailable is returned when a nonce id is unknown, already used
// or expired.
var ErrNonceUnavailable = errors.New("nonce unknown, already used or expired")

// ErrTooManyNonces is returned when the configured maximum of nonces are
// issued and unused.
var ErrTooManyNonces = errors.New("too many outstanding nonces")

// Store is the node's data: one bbolt file in the data directory, secrets
// sealed under the passphrase.
type Store struct {
	db   *bolt.DB
	seal *sealer
}

// OpenStore opens (or creates, with DefaultKDF) the store in dir. A wrong
// passphrase is an error, detected with a sealed check record.
func OpenStore(dir string, passphrase []byte) (*Store, error) {
	return OpenStoreKDF(dir, passphrase, DefaultKDF)
}

// OpenStoreKDF is OpenStore with the scrypt cost for a new store; an
// existing store keeps the cost recorded when it was created.
func OpenStoreKDF(dir string, passphrase []byte, kdf KDF) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("node: data dir: %w", err)
	}
	db, err := bolt.Open(filepath.Join(dir, "node.db"), 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("node: open store: %w", err)
	}
	s := &Store{db: db}
	if err := s.init(passphrase, kdf); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) init(passphrase []byte, kdf KDF) error {
	var salt, check []byte
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketDKG, bucketKeys, bucketNonces} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keySalt); v != nil {
			salt = append([]byte(nil), v...)
			check = append([]byte(nil), meta.Get(keyCheck)...)
			if err := json.Unmarshal(meta.Get(keyKDF), &kdf); err != nil {
				return fmt.Errorf("scrypt parameters: %w", err)
			}
			return nil
		}
		if err := kdf.check(); err != nil {
			return err
		}
		salt = make([]byte, 32)
		if _, err := rand.Read(salt); err != nil {
			return err
		}
		raw, err := json.Marshal(kdf)
		if err != nil {
			return err
		}
		if err := meta.Put(keyKDF, raw); err != nil {
			return err
		}
		return meta.Put(keySalt, salt)
	})
	if err != nil {
		return fmt.Errorf("node: init store: %w", err)
	}
	if s.seal, err = newSealer(passphrase, salt, kdf); err != nil {
		return err
	}
	if check != nil {
		got, err := s.seal.open(check, keyCheck)
		if err != nil || string(got) != checkPlaintext {
			return errors.New("node: wrong passphrase for this data directory")
		}
		return nil
	}
	sealed, err := s.seal.seal([]byte(checkPlaintext), keyCheck)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyCheck, sealed) })
}

// identityRecord is the node's long-term Ed25519 identity (sealed).
type identityRecord struct {
	Seed []byte
}

var keyIdentity = []byte("identity")

// Identity returns the node's long-term Ed25519 identity key, created on
// first use. It signs the node's key-generation packages, so that peers
// that pin it (Config.Peers) know the packages, and the X25519 keys in
// them, are the node's and not a relaying driver's.
func (s *Store) Identity() (ed25519.PrivateKey, error) {
	var rec identityRecord
	found, err := s.get(bucketMeta, keyIdentity, &rec)
	if err != nil {
		return nil, err
	}
	if !found {
		rec.Seed = make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(rec.Seed); err != nil {
			return nil, err
		}
		if err := s.put(bucketMeta, keyIdentity, &rec); err != nil {
			return nil, err
		}
	}
	if len(rec.Seed) != ed25519.SeedSize {
		return nil, errors.New("node: malformed identity record")
	}
	return ed25519.NewKeyFromSeed(rec.Seed), nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func recordName(bucket, key []byte) []byte {
	return append(append(append([]byte(nil), bucket...), '/'), key...)
}

func (s *Store) put(bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	sealed, err := s.seal.seal(raw, recordName(bucket, key))
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put(key, sealed) })
}

// get loads a sealed record; found is false if it does not exist.
func (s *Store) get(bucket, key []byte, v any) (found bool, err error) {
	var sealed []byte
	if err := s.db.View(func(tx *bolt.Tx) error {
		sealed = append([]byte(nil), tx.Bucket(bucket).Get(key)...)
		return nil
	}); err != nil {
		return false, err
	}
	if len(sealed) == 0 {
		return false, nil
	}
	return true, s.unseal(bucket, key, sealed, v)
}

func (s *Store) unseal(bucket, key, sealed []byte, v any) error {
	raw, err := s.seal.open(sealed, recordName(bucket, key))
	if err != nil {
		return fmt.Errorf("node: record %s: %w", recordName(bucket, key), err)
	}
	return json.Unmarshal(raw, v)
}

// keys lists the keys of a bucket.
func (s *Store) keys(bucket []byte) ([][]byte, error) {
	var out [][]byte
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, _ []byte) error {
			out = append(out, append([]byte(nil), k...))
			return nil
		})
	})
	return out, err
}

// issueNonce stores a nonce record under id, after dropping expired ones.
// The value is the issue time (8 bytes, big-endian Unix seconds, clear)
// followed by the sealed record.
func (s *Store) issueNonce(id []byte, rec any, now time.Time, ttl time.Duration, max int) error {
	raw, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	sealed, err := s.seal.seal(raw, recordName(bucketNonces, id))
	if err != nil {
		return err
	}
	val := binary.BigEndian.AppendUint64(nil, uint64(now.Unix()))
	val = append(val, sealed...)
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketNonces)
		var expired [][]byte
		n := 0
		if err := b.ForEach(func(k, v []byte) error {
			if len(v) < 8 || now.Sub(time.Unix(int64(binary.BigEndian.Uint64(v)), 0)) > ttl {
				expired = append(expired, append([]byte(nil), k...))
			} else {
				n++
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range expired {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		if n >= max {
			return ErrTooManyNonces
		}
		if b.Get(id) != nil {
			return errors.New("node: nonce id collision")
		}
		return b.Put(id, val)
	})
}

// takeNonce deletes the nonce record id and returns it. The deletion is
// committed (bbolt syncs the file) before the record is returned, so a
// nonce can be taken once, whatever happens afterwards.
func (s *Store) takeNonce(id []byte, rec any, now time.Time, ttl time.Duration) error {
	var val []byte
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketNonces)
		v := b.Get(id)
		if v == nil {
			return ErrNonceUnavailable
		}
		val = append([]byte(nil), v...)
		return b.Delete(id)
	})
	if err != nil {
		return err
	}
	if len(val) < 8 || now.Sub(time.Unix(int64(binary.BigEndian.Uint64(val)), 0)) > ttl {
		return ErrNonceUnavailable
	}
	return s.unseal(bucketNonces, id, val[8:], rec)
}

// outstandingNonces counts issued, unused nonces.
func (s *Store) outstandingNonces() int {
	n := 0
	_ = s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketNonces).Stats().KeyN
		return nil
	})
	return n
}
