// Package coreclient is a sequencer's client of the coordinator's HTTP
// Core API: submit a batch, follow its Server-Sent Events stream (resuming
// with Last-Event-ID when the connection drops), fetch the proof and check
// it against the statement the sequencer computed itself.
package coreclient

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/zkfleet/zkfleet/cluster/httpapi"
	"github.com/zkfleet/zkfleet/engine"
	"github.com/zkfleet/zkfleet/rollup/batch"
)

// Client talks to one Core API.
type Client struct {
	base  string
	token string
	hc    *http.Client
}

// New returns a client of the Core API at base ("http://host:port" or
// https); token is the bearer token ("" for none); hc nil means
// http.DefaultClient. Streams are long: hc should have no overall timeout.
func New(base, token string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(base, "/"), token: token, hc: hc}
}

// APIError is an error answer of the API.
type APIError struct {
	HTTPStatus int
	httpapi.ErrorBody
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("core API: %s (HTTP %d", e.Message, e.HTTPStatus)
	if e.Code != "" {
		s += ", " + e.Code
	}
	return s + ")"
}

// IsCode reports whether err is an API error with code.
func IsCode(err error, code string) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == code
}

// MaxAnswer bounds an API answer read by the client.
const MaxAnswer = 64 << 20

func (c *Client) request(ctx context.Context, method, path string, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return req, nil
}

// call does one request and decodes the wrapper's data into out.
func (c *Client) call(ctx context.Context, method, path string, body []byte, out any) (int, error) {
	req, err := c.request(ctx, method, path, body)
	if err != nil {
		return 0, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("core API %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer))
	if err != nil {
		return resp.StatusCode, fmt.Errorf("core API %s %s: %w", method, path, err)
	}
	var w struct {
		httpapi.ErrorBody
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &w); err != nil || (w.Status != "success" && w.Status != "error") {
		return resp.StatusCode, &APIError{HTTPStatus: resp.StatusCode, ErrorBody: httpapi.ErrorBody{Status: "error",
			Message: fmt.Sprintf("%s %s: not a Core API answer: %.200q", method, path, raw)}}
	}
	if w.Status == "error" {
		return resp.StatusCode, &APIError{HTTPStatus: resp.StatusCode, ErrorBody: w.ErrorBody}
	}
	if out != nil {
		if err := json.Unmarshal(w.Data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("core API %s %s: data: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// Submit posts a batch. The answer is the new job, or the existing job
// of the same batch (Accepted.Existing). An invalid batch is an
// *APIError with code INVALID_BATCH, TxIndex and Reason.
func (c *Client) Submit(ctx context.Context, req *batch.Request) (*httpapi.Accepted, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	return c.SubmitJSON(ctx, body)
}

// SubmitJSON posts a batch given as JSON.
func (c *Client) SubmitJSON(ctx context.Context, body []byte) (*httpapi.Accepted, error) {
	var a httpapi.Accepted
	if _, err := c.call(ctx, "POST", "/v2/batch/prove", body, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// Status is a batch job's current status.
func (c *Client) Status(ctx context.Context, jobID string) (*httpapi.JobView, error) {
	var v httpapi.JobView
	if _, err := c.call(ctx, "GET", "/v2/batch/"+jobID, nil, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// Proof fetches a completed batch's proof (NOT_READY, PROOF_FAILED or
// CANCELLED errors otherwise).
func (c *Client) Proof(ctx context.Context, jobID string) (*httpapi.ProofView, error) {
	var p httpapi.ProofView
	if _, err := c.call(ctx, "GET", "/v2/batch/"+jobID+"/proof", nil, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// Cancel cancels a batch job.
func (c *Client) Cancel(ctx context.Context, jobID string) error {
	_, err := c.call(ctx, "DELETE", "/v2/batch/"+jobID, nil, nil)
	return err
}

// Health is the coordinator's health.
func (c *Client) Health(ctx context.Context) (*httpapi.Health, error) {
	var h httpapi.Health
	if _, err := c.call(ctx, "GET", "/v2/health", nil, &h); err != nil {
		return nil, err
	}
	return &h, nil
}

// Event is one event of a status stream.
type Event struct {
	ID, Name string
	Data     json.RawMessage
	Status   *httpapi.JobView       // status, failed, cancelled
	Progress *httpapi.ProgressEvent // progress
	Proof    *httpapi.ProofView     // completed
}

// Terminal reports whether the event ends the stream.
func (e *Event) Terminal() bool { return httpapi.Terminal(e.Name) }

// MaxEventBytes bounds one event of a stream.
const MaxEventBytes = 64 << 20

// Follow follows a batch job's status stream, calling fn (if not nil) on
// every event, until the terminal event, which it returns. A dropped
// connection is resumed with Last-Event-ID (up to retries times in a
// row without a new event).
func (c *Client) Follow(ctx context.Context, jobID string, fn func(*Event)) (*Event, error) {
	return c.follow(ctx, "/v2/batch/"+jobID+"/status", fn)
}

const retries = 5

func (c *Client) follow(ctx context.Context, path string, fn func(*Event)) (*Event, error) {
	last := ""
	fails := 0
	for {
		ev, got, err := c.streamOnce(ctx, path, last, fn)
		if ev != nil {
			return ev, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ae *APIError
		if errors.As(err, &ae) {
			return nil, err // the server refused the stream (unknown job, auth)
		}
		if got != "" {
			last, fails = got, 0
		} else if fails++; fails > retries {
			return nil, fmt.Errorf("core API %s: stream ended without a terminal event: %w", path, err)
		}
		select {
		case <-time.After(time.Duration(fails) * 200 * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// streamOnce reads one connection of the stream: the terminal event if it
// came, and the id of the last event seen.
func (c *Client) streamOnce(ctx context.Context, path, lastID string, fn func(*Event)) (*Event, string, error) {
	req, err := c.request(ctx, "GET", path, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Accept", "text/event-stream")
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		var eb httpapi.ErrorBody
		if json.Unmarshal(raw, &eb) != nil || eb.Status != "error" {
			eb = httpapi.ErrorBody{Status: "error", Message: fmt.Sprintf("not an event stream: %.200q", raw)}
		}
		return nil, "", &APIError{HTTPStatus: resp.StatusCode, ErrorBody: eb}
	}
	seen := ""
	var terminal *Event
	err = ReadEvents(resp.Body, func(ev *Event) error {
		if ev.ID != "" {
			seen = ev.ID
		}
		if fn != nil {
			fn(ev)
		}
		if ev.Terminal() {
			terminal = ev
			return io.EOF
		}
		return nil
	})
	if terminal != nil {
		return terminal, seen, nil
	}
	if err == nil {
		err = io.ErrUnexpectedEOF
	}
	return nil, seen, err
}

// ReadEvents parses a Server-Sent Events stream, calling fn on each event
// with its data decoded by name; comments (": ping") are skipped. It ends
// at the end of r (nil), on a malformed stream, or when fn returns an
// error (io.EOF from fn ends it with nil).
func ReadEvents(r io.Reader, fn func(*Event) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxEventBytes)
	var cur Event
	var data []string
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if cur.Name == "" && len(data) == 0 {
				continue
			}
			if cur.Name == "" {
				cur.Name = "message"
			}
			cur.Data = json.RawMessage(strings.Join(data, "\n"))
			ev := cur
			cur, data = Event{}, nil
			if err := ev.decode(); err != nil {
				return err
			}
			if err := fn(&ev); err != nil {
				if err == io.EOF {
					return nil
				}
				return err
			}
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch name {
		case "id":
			cur.ID = value
		case "event":
			cur.Name = value
		case "data":
			data = append(data, value)
		}
	}
	return sc.Err()
}

func (e *Event) decode() error {
	var v any
	switch e.Name {
	case "status", httpapi.StateFailed, httpapi.StateCancelled:
		e.Status = &httpapi.JobView{}
		v = e.Status
	case "progress":
		e.Progress = &httpapi.ProgressEvent{}
		v = e.Progress
	case httpapi.StateCompleted:
		e.Proof = &httpapi.ProofView{}
		v = e.Proof
	default:
		return nil // unknown events are passed on undecoded
	}
	if err := json.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("event %q: %w", e.Name, err)
	}
	return nil
}

// ErrNoVerifier: the proof is not a mock proof and Check was given no
// verifier of real batch proofs.
var ErrNoVerifier = errors.New("no verifier of real rollup batch proofs given")

// Verifier checks a real batch proof file (its proof_bytes) against the
// statement the answer carries (already checked for consistency). The
// Groth16 verifier is rollup/backend.Verifier(store, pin) on a trusted key store; this
// package does not link a proof system.
type Verifier func(file []byte, statement *batch.Statement) error

// CheckWith is Check, then verify on a real proof file.
func CheckWith(p *httpapi.ProofView, want *batch.Statement, verify Verifier) (*batch.Statement, error) {
	s, err := Check(p, want)
	if !errors.Is(err, ErrNoVerifier) || verify == nil {
		return s, err
	}
	file, err := hex.DecodeString(p.ProofBytes)
	if err != nil {
		return s, fmt.Errorf("proof_bytes: %w", err)
	}
	return s, verify(file, s)
}

// Check checks a proof answer: its statement fields, encoding and digest
// agree; its public input is the statement's; its batch hash and
// withdrawal root are the statement's; and, when want is given, the
// statement is the one the sequencer computed. It then checks the proof
// itself: a mock proof is engine.ErrMockProof (its statement is checked,
// but it proves nothing); a real proof needs a verifier (ErrNoVerifier;
// CheckWith runs one). The statement is returned either way.
func Check(p *httpapi.ProofView, want *batch.Statement) (*batch.Statement, error) {
	sj, err := statementOf(p)
	if err != nil {
		return nil, err
	}
	s, err := sj.Statement()
	if err != nil {
		return nil, err
	}
	pi := s.PublicInput()
	piBytes := pi.Bytes()
	switch {
	case p.PublicWitnessBytes != hex.EncodeToString(piBytes[:]):
		return s, fmt.Errorf("public_witness_bytes %s is not the statement's public input %x", p.PublicWitnessBytes, piBytes)
	case p.BatchHash != sj.BatchHash || p.WithdrawalRoot != sj.WithdrawalRoot:
		return s, errors.New("batch_hash or withdrawal_root differ from the statement")
	case p.BatchID == nil || *p.BatchID != s.BatchID:
		return s, fmt.Errorf("batch_id %v is not the statement's %d", p.BatchID, s.BatchID)
	}
	if want != nil && !bytes.Equal(s.Encode(), want.Encode()) {
		return s, fmt.Errorf("the proof's statement is not the batch's: got %+v, want %+v", s.JSON(), want.JSON())
	}
	file, err := hex.DecodeString(p.ProofBytes)
	if err != nil {
		return s, fmt.Errorf("proof_bytes: %w", err)
	}
	if engine.IsMockProof(file) {
		return s, engine.ErrMockProof
	}
	return s, ErrNoVerifier
}

// statementOf reads the statement fields of a proof answer.
func statementOf(p *httpapi.ProofView) (*batch.StatementJSON, error) {
	if p.Statement == nil {
		return nil, errors.New("the proof answer has no statement")
	}
	m := p.Statement
	var sj batch.StatementJSON
	fields := map[string]*string{"pre_state_root": &sj.PreStateRoot, "post_state_root": &sj.PostStateRoot, "batch_hash": &sj.BatchHash,
		"withdrawal_root": &sj.WithdrawalRoot, "deposit_root": &sj.DepositRoot, "statement_bytes": &sj.StatementBytes,
		"statement_digest": &sj.StatementDigest}
	for k, dst := range fields {
		v, ok := m[k]
		if !ok {
			return nil, fmt.Errorf("the proof answer's statement has no %s", k)
		}
		*dst = v
	}
	nums := map[string]*uint64{"batch_id": &sj.BatchID, "tx_count": &sj.TxCount, "transfer_count": &sj.TransferCount,
		"withdrawal_count": &sj.WithdrawalCount, "deposit_count": &sj.DepositCount}
	for k, dst := range nums {
		v, ok := m[k]
		if !ok {
			return nil, fmt.Errorf("the proof answer's statement has no %s", k)
		}
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("statement %s: %w", k, err)
		}
		*dst = n
	}
	return &sj, nil
}
