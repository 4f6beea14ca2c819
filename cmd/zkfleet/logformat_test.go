package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestLogFormatJSON: --log-format json makes the long-running commands'
// logs one JSON object a line; an unknown format is a usage error.
func TestLogFormatJSON(t *testing.T) {
	root := newRootCmd()
	cmd, _, err := root.Find([]string{"coordinator"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.ParseFlags([]string{"--log-format", "json"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	cmd.SetErr(&buf)
	newLogger(cmd).Info("coordinator ready", "api", "127.0.0.1:7700")
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil || rec["msg"] != "coordinator ready" || rec["api"] != "127.0.0.1:7700" {
		t.Fatalf("log line %q: %v", buf.String(), err)
	}

	_, err = runCLI(t, "coordinator", "--log-format", "xml")
	var ee *exitError
	if !asExit(err, &ee) || ee.code != 2 {
		t.Fatalf("--log-format xml: %v", err)
	}
}
