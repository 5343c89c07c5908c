package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the scripts run partnertiers as a real command: testscript
// re-executes this test binary as the `partnertiers` program.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"partnertiers": main,
	})
}

// TestScripts drives the command line end to end from
// testdata/script/*.txtar, each in a fresh home with no config or store.
// Run with -update to rewrite the expected outputs the scripts compare.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		UpdateScripts:       os.Getenv("UPDATE_SCRIPTS") != "",
		Setup: func(env *testscript.Env) error {
			home := env.WorkDir
			env.Setenv("HOME", home)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			env.Setenv("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
			env.Setenv("PARTNERTIERS_USER", "dana")
			env.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}

// TestBuiltBinary builds partnertiers with `go build`, as a newcomer
// would, and runs the first commands of the README in a temporary home.
func TestBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "partnertiers")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	home := filepath.Join(dir, "home")
	run := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
			"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"), "PARTNERTIERS_STORE=", "PARTNERTIERS_CONFIG=")
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	if out, code := run("init", "--sample"); code != 0 || !strings.Contains(out, "loaded the sample program: 80 partners") {
		t.Fatalf("init --sample: exit %d\n%s", code, out)
	}
	out, code := run("show", "northwind")
	if code != 0 || !strings.Contains(out, "Northwind Global · Gold since") || !strings.Contains(out, "Misses every Gold criterion") {
		t.Fatalf("show northwind: exit %d\n%s", code, out)
	}
	if _, code := run("show", "no-such-partner-anywhere"); code != 1 {
		t.Errorf("unknown partner: exit %d, want 1", code)
	}
	if _, code := run("show"); code != 2 {
		t.Errorf("usage: exit %d, want 2", code)
	}
}
