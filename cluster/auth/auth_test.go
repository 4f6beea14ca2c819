package auth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestCheck(t *testing.T) {
	cases := []struct {
		name   string
		values []string
		secret string
		ok     bool
	}{
		{"no secret", nil, "", true},
		{"right token", []string{"Bearer s3cret"}, "s3cret", true},
		{"second value", []string{"Basic x", "Bearer s3cret"}, "s3cret", true},
		{"missing", nil, "s3cret", false},
		{"wrong token", []string{"Bearer nope"}, "s3cret", false},
		{"no scheme", []string{"s3cret"}, "s3cret", false},
		{"prefix of the secret", []string{"Bearer s3c"}, "s3cret", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.values, tc.secret)
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrUnauthenticated)) {
				t.Fatalf("Check = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestHTTP(t *testing.T) {
	h := HTTP("tok", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	for _, tc := range []struct {
		header string
		want   int
	}{{"", http.StatusUnauthorized}, {"Bearer bad", http.StatusUnauthorized}, {"Bearer tok", http.StatusTeapot}} {
		t.Run(tc.header, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tc.header != "" {
				r.Header.Set("Authorization", tc.header)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d", w.Code, tc.want)
			}
		})
	}
}
