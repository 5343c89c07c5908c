package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds partnertiers with `go build` into a temporary folder
// of t: the tests that kill it, corrupt its store or run two of it at once
// need a real process, not the test binary re-executed.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	bin := filepath.Join(t.TempDir(), "partnertiers")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// home is a temporary home for the binary: a config from the example, with
// edits, and a store path. The store is not created.
type home struct {
	bin, dir, config, store string
}

func newHome(t *testing.T, bin string, configEdits ...string) *home {
	t.Helper()
	dir := t.TempDir()
	example, err := os.ReadFile("config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(example)
	for i := 0; i+1 < len(configEdits); i += 2 {
		if !strings.Contains(cfg, configEdits[i]) {
			t.Fatalf("config.example.toml has no %q", configEdits[i])
		}
		cfg = strings.Replace(cfg, configEdits[i], configEdits[i+1], 1)
	}
	h := &home{bin: bin, dir: dir, config: filepath.Join(dir, "config.toml"), store: filepath.Join(dir, "data", "partnertiers.db")}
	if err := os.WriteFile(h.config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return h
}

// cmd is the binary on h's config and store, in h's folder.
func (h *home) cmd(args ...string) *exec.Cmd {
	c := exec.Command(h.bin, args...)
	c.Dir = h.dir
	c.Env = append(os.Environ(), "HOME="+h.dir, "XDG_CONFIG_HOME="+filepath.Join(h.dir, ".config"),
		"XDG_DATA_HOME="+filepath.Join(h.dir, ".local", "share"), "PARTNERTIERS_CONFIG="+h.config,
		"PARTNERTIERS_STORE="+h.store, "PARTNERTIERS_USER=dana", "NO_COLOR=1")
	return c
}

// result is how a run of the binary ended.
type result struct {
	stdout, stderr string
	code           int
	took           time.Duration
}

// run runs the binary to the end, failing t if it outlives limit: a hang
// guard, not a timing test.
func (h *home) run(t *testing.T, limit time.Duration, args ...string) result {
	t.Helper()
	c := h.cmd(args...)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	start := time.Now()
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(limit):
		_ = c.Process.Kill()
		<-done
		t.Fatalf("partnertiers %s still running after %v: a hang", strings.Join(args, " "), limit)
	}
	r := result{stdout: out.String(), stderr: errb.String(), took: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return r
}

// mustRun runs the binary and fails t unless it exits 0.
func (h *home) mustRun(t *testing.T, args ...string) result {
	t.Helper()
	r := h.run(t, time.Minute, args...)
	if r.code != 0 {
		t.Fatalf("partnertiers %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// killed reports whether the process ended by SIGKILL.
func killed(c *exec.Cmd) bool {
	ws, ok := c.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
