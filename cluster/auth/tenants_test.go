package auth

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTenants(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tenants.json")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadTenants(t *testing.T) {
	good := `{"tenants":[{"name":"acme","token":"acme-token-0123456789"},{"name":"beta","token":"beta-token-0123456789"}]}`
	ts, err := LoadTenants(writeTenants(t, good))
	if err != nil || ts.Len() != 2 {
		t.Fatalf("good file: %v", err)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"not json", `{`, "unexpected EOF"},
		{"unknown field", `{"tenants":[],"admins":[]}`, "unknown field"},
		{"empty", `{"tenants":[]}`, "no tenant"},
		{"no name", `{"tenants":[{"token":"acme-token-0123456789"}]}`, "no name"},
		{"short token", `{"tenants":[{"name":"a","token":"short"}]}`, "shorter"},
		{"name twice", `{"tenants":[{"name":"a","token":"aaaaaaaaaaaaaaaaaa"},{"name":"a","token":"bbbbbbbbbbbbbbbbbb"}]}`, "twice"},
		{"shared token", `{"tenants":[{"name":"a","token":"aaaaaaaaaaaaaaaaaa"},{"name":"b","token":"aaaaaaaaaaaaaaaaaa"}]}`, "reuses"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadTenants(writeTenants(t, tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestIdentify(t *testing.T) {
	ts := &Tenants{names: []string{"acme", "beta"}, tokens: []string{"acme-token-0123456789", "beta-token-0123456789"}}
	for _, tc := range []struct {
		auth []string
		want string
		err  bool
	}{
		{[]string{"Bearer admin-token"}, "", false},
		{[]string{"Bearer acme-token-0123456789"}, "acme", false},
		{[]string{"Bearer beta-token-0123456789"}, "beta", false},
		{[]string{"Bearer nope"}, "", true},
		{[]string{"acme-token-0123456789"}, "", true}, // no Bearer prefix
		{nil, "", true},
	} {
		got, err := identify(tc.auth, "admin-token", ts)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("identify(%q) = %q, %v; want %q, err %v", tc.auth, got, err, tc.want, tc.err)
		}
		if err != nil && !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("error %v is not ErrUnauthenticated", err)
		}
	}
}
