package auth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// credFile describes a JSON credentials file, {"<list>": [{"<name>":
// "…", "<secret>": "…"}]}: the --tenants file and the --workers-file.
type credFile struct {
	label              string // in errors: "tenants", "workers file"
	list, name, secret string // JSON keys
	noun               string // one entry: "tenant", "worker"
	min                int    // shortest secret accepted
}

// load reads path strictly (unknown fields and trailing data refused) and
// returns its entries' names and secrets, in file order: names non-empty
// and unique, secrets at least c.min bytes and unique, at least one entry.
func (c credFile) load(path string) (names, secrets []string, err error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", c.label, err)
	}
	var top map[string]json.RawMessage
	if err := strictDecode(raw, &top); err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", c.label, path, err)
	}
	for k := range top {
		if k != c.list {
			return nil, nil, fmt.Errorf("%s %s: json: unknown field %q", c.label, path, k)
		}
	}
	var entries []map[string]json.RawMessage
	if l, ok := top[c.list]; ok {
		if err := strictDecode(l, &entries); err != nil {
			return nil, nil, fmt.Errorf("%s %s: %w", c.label, path, err)
		}
	}
	seenName, seenSecret := map[string]bool{}, map[string]bool{}
	for i, e := range entries {
		var name, secret string
		for k, v := range e {
			var dst *string
			switch k {
			case c.name:
				dst = &name
			case c.secret:
				dst = &secret
			default:
				return nil, nil, fmt.Errorf("%s %s: entry %d: json: unknown field %q", c.label, path, i, k)
			}
			if err := json.Unmarshal(v, dst); err != nil {
				return nil, nil, fmt.Errorf("%s %s: entry %d: %s: %w", c.label, path, i, k, err)
			}
		}
		switch {
		case name == "":
			return nil, nil, fmt.Errorf("%s %s: entry %d has no %s", c.label, path, i, c.name)
		case len(secret) < c.min:
			return nil, nil, fmt.Errorf("%s %s: %s %q: %s shorter than %d bytes", c.label, path, c.noun, name, c.secret, c.min)
		case seenName[name]:
			return nil, nil, fmt.Errorf("%s %s: %s %q listed twice", c.label, path, c.noun, name)
		case seenSecret[secret]:
			return nil, nil, fmt.Errorf("%s %s: %s %q reuses another %s's %s", c.label, path, c.noun, name, c.noun, c.secret)
		}
		seenName[name], seenSecret[secret] = true, true
		names, secrets = append(names, name), append(secrets, secret)
	}
	if len(names) == 0 {
		return nil, nil, fmt.Errorf("%s %s: no %s", c.label, path, c.noun)
	}
	return names, secrets, nil
}

// strictDecode decodes one JSON value and refuses data after it.
func strictDecode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}
