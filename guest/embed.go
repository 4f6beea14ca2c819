// Package guest embeds the prebuilt example guests of guest/examples (built
// by guest/build.sh from the C SDK in guest/sdk), so that tests and
// `zkfleet prove --local` need no C toolchain.
package guest

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed bin/*.elf
var bin embed.FS

// Example returns the ELF of the named example ("fib", "sha256", "sort",
// "memheavy").
func Example(name string) ([]byte, error) {
	data, err := bin.ReadFile("bin/" + name + ".elf")
	if err != nil {
		return nil, fmt.Errorf("guest: no example %q (have %s): %w", name, strings.Join(Examples(), ", "), fs.ErrNotExist)
	}
	return data, nil
}

// Examples lists the embedded example names, sorted.
func Examples() []string {
	entries, _ := bin.ReadDir("bin") // the embedded directory always exists
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".elf"))
	}
	sort.Strings(names)
	return names
}
