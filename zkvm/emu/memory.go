package emu

const (
	pageShift = 12
	pageWords = 1 << (pageShift - 2)
	dirBits   = 10 // top-level index bits; 32 - pageShift - dirBits = 10 leaf bits
	leafBits  = 32 - pageShift - dirBits
)

// page is 4 KiB of guest memory stored as words, plus (when timestamps are
// tracked for tracing) the step number of the last access to each word.
type page struct {
	w  [pageWords]uint32
	ts *[pageWords]uint64
}

// memory is the 4 GiB guest address space as a two-level page table with a
// one-entry cache of the last page touched. Pages are created on first
// access; untouched memory reads as zero.
type memory struct {
	dir      [1 << dirBits]*[1 << leafBits]*page
	lastPN   uint32
	last     *page
	trackTS  bool
	numPages int
}

func newMemory(trackTS bool) *memory {
	return &memory{lastPN: ^uint32(0), trackTS: trackTS}
}

// pageFor returns the page holding addr, creating it if needed.
func (m *memory) pageFor(addr uint32) *page {
	pn := addr >> pageShift
	if pn == m.lastPN {
		return m.last
	}
	return m.pageSlow(pn)
}

func (m *memory) pageSlow(pn uint32) *page {
	leaf := m.dir[pn>>leafBits]
	if leaf == nil {
		leaf = new([1 << leafBits]*page)
		m.dir[pn>>leafBits] = leaf
	}
	pg := leaf[pn&(1<<leafBits-1)]
	if pg == nil {
		pg = new(page)
		if m.trackTS {
			pg.ts = new([pageWords]uint64)
		}
		leaf[pn&(1<<leafBits-1)] = pg
		m.numPages++
	}
	m.lastPN, m.last = pn, pg
	return pg
}

// peek reads a word without creating a page or touching timestamps (used
// for the debug log, which is not part of the statement).
func (m *memory) peek(addr uint32) uint32 {
	pn := addr >> pageShift
	leaf := m.dir[pn>>leafBits]
	if leaf == nil {
		return 0
	}
	pg := leaf[pn&(1<<leafBits-1)]
	if pg == nil {
		return 0
	}
	return pg.w[addr>>2&(pageWords-1)]
}

// forEachPage visits the existing pages in increasing address order.
func (m *memory) forEachPage(f func(base uint32, pg *page)) {
	for i, leaf := range m.dir {
		if leaf == nil {
			continue
		}
		for j, pg := range leaf {
			if pg != nil {
				f(uint32(i)<<(leafBits+pageShift)|uint32(j)<<pageShift, pg)
			}
		}
	}
}
