package tape

import "testing"

// TestCommitmentBindsStartLane: a chunk's phase-1 commitment covers its
// start lane (cursor and running hash), so a change of an earlier chunk's
// bytes changes this chunk's commitment too, not only the chaining of
// claims.
func TestCommitmentBindsStartLane(t *testing.T) {
	for _, dir := range []Dir{Input, Output} {
		t.Run(dir.String(), func(t *testing.T) {
			data := sampleData(70)
			base, err := Commit(dir, data, 70, testK, 1)
			if err != nil {
				t.Fatal(err)
			}
			data[0]++ // chunk 0
			c, err := Commit(dir, data, 70, testK, 1)
			if err != nil {
				t.Fatal(err)
			}
			if c.Equal(&base) {
				t.Fatal("chunk 1's commitment does not bind its start hash")
			}
		})
	}
}
