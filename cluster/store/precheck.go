package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// bbolt's on-disk meta page, as of format version 2: a 16-byte page
// header, then magic, version, page size, flags (4 bytes each), the root
// bucket (16), the freelist page id, the page count (high-water mark),
// the txid (8 each) and an FNV-64a checksum of everything before it.
const (
	boltMagic   = 0xED0CDAED
	boltVersion = 2
	metaOffset  = 16
	metaSumLen  = 56 // bytes of the meta covered by the checksum
)

// precheck validates a bbolt file's meta pages and its length before
// bbolt maps it: a file shorter than its newest valid meta says would
// make bbolt read past the end of the mapping, a fault no recover can
// catch. It returns nil for a missing or empty file (bbolt creates it).
func precheck(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	if size == 0 {
		return nil
	}
	var best struct {
		ok          bool
		txid, pages uint64
		pageSize    uint32
	}
	// Meta page 0 is at 0; meta page 1 at one page size, read from meta 0
	// when it is sane, else tried at the common page sizes.
	offsets := []int64{0}
	for _, ps := range []int64{4096, 8192, 16384, 65536} {
		offsets = append(offsets, ps)
	}
	for _, off := range offsets {
		buf := make([]byte, metaOffset+metaSumLen+8)
		if _, err := f.ReadAt(buf, off); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		m := buf[metaOffset:]
		if binary.LittleEndian.Uint32(m[0:]) != boltMagic || binary.LittleEndian.Uint32(m[4:]) != boltVersion {
			continue
		}
		h := fnv.New64a()
		h.Write(m[:metaSumLen])
		if h.Sum64() != binary.LittleEndian.Uint64(m[metaSumLen:]) {
			continue
		}
		pageSize := binary.LittleEndian.Uint32(m[8:])
		if off != 0 && int64(pageSize) != off {
			continue // not the second meta page of this file
		}
		txid, pages := binary.LittleEndian.Uint64(m[48:]), binary.LittleEndian.Uint64(m[40:])
		if !best.ok || txid > best.txid {
			best.ok, best.txid, best.pages, best.pageSize = true, txid, pages, pageSize
		}
	}
	if !best.ok {
		return errors.New("no valid meta page")
	}
	if best.pageSize == 0 || best.pages > uint64(size)/uint64(best.pageSize) {
		return fmt.Errorf("file is %d bytes but its meta page counts %d pages of %d bytes: truncated", size, best.pages, best.pageSize)
	}
	return nil
}
