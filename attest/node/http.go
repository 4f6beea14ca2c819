package node

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/zkfleet/zkfleet/attest/api"
)

// Request body limits. A fragment request carries the proof, the ELF and
// the input; everything else is small.
const (
	MaxBodyBytes         = 1 << 20
	MaxFragmentBodyBytes = 96 << 20
)

// MinTokenLen bounds the bearer token from below.
const MinTokenLen = 16

// Handler serves the API. Every path but /health and /metrics requires
// "Authorization: Bearer <token>".
func (s *Server) Handler(token string) (http.Handler, error) {
	if len(token) < MinTokenLen {
		return nil, fmt.Errorf("node: bearer token shorter than %d bytes", MinTokenLen)
	}
	want := sha256.Sum256([]byte(token))
	auth := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			sum := sha256.Sum256([]byte(got))
			if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
				writeError(w, &Error{Status: http.StatusUnauthorized, Err: errors.New("missing or wrong bearer token")})
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+api.PathHealth, func(w http.ResponseWriter, r *http.Request) {
		h, err := s.Health(r.Context())
		reply(w, h, err)
	})
	mux.Handle("GET "+api.PathMetrics, promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	mux.Handle("POST "+api.PathDKGRound1, auth(jsonHandler(MaxBodyBytes, s.DKGRound1)))
	mux.Handle("POST "+api.PathDKGRound2, auth(jsonHandler(MaxBodyBytes, s.DKGRound2)))
	mux.Handle("POST "+api.PathShare, auth(jsonHandler(MaxBodyBytes, s.DKGShare)))
	mux.Handle("POST "+api.PathCommitment, auth(jsonHandler(MaxBodyBytes, s.Commitment)))
	mux.Handle("POST "+api.PathFragment, auth(jsonHandler(MaxFragmentBodyBytes, s.Fragment)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		mux.ServeHTTP(rec, r)
		path := r.URL.Path
		if _, pattern := mux.Handler(r); pattern == "" {
			path = "other"
		}
		s.metrics.requests.WithLabelValues(path, strconv.Itoa(rec.code)).Inc()
	}), nil
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

// jsonHandler decodes a bounded JSON body (unknown fields refused) into Req
// and replies with the operation's result.
func jsonHandler[Req, Resp any](limit int64, op func(context.Context, *Req) (*Resp, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req Req
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			status := http.StatusBadRequest
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				status = http.StatusRequestEntityTooLarge
			}
			writeError(w, &Error{Status: status, Err: fmt.Errorf("decode request: %w", err)})
			return
		}
		if _, err := dec.Token(); err != io.EOF {
			writeError(w, &Error{Status: http.StatusBadRequest, Err: errors.New("trailing data after the request")})
			return
		}
		resp, err := op(r.Context(), &req)
		reply(w, resp, err)
	})
}

func reply(w http.ResponseWriter, v any, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	body := api.Error{Error: err.Error()}
	var e *Error
	if errors.As(err, &e) {
		status = e.Status
		body.Complaints = e.Complaints
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
