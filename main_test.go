package main

import (
	"os"
	"path/filepath"
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
