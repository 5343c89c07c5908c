package config

import (
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// Each "# @path" comment says path is written on that line.
const linesSrc = `# a comment with [[tiers]] and key = "x" in it
title = "a # not a comment" # @title
multi = """
[[tiers]]
key = "not a key"
\""" still inside """ # not a mark
lit = '''
[[tiers]]''' # not a mark
raw = 'C:\path' # @raw
when = 1979-05-27 07:32:00Z # @when

[program] # @program
name = "x" # @program.name
"quoted key" = 1 # @program."quoted key"
'literal.key' = 2 # @program."literal.key"
dotted . inner = 3 # @program.dotted.inner

[[tiers]] # @tiers[0]
key = "a" # @tiers[0].key
[tiers.allocation] # @tiers[0].allocation
benefits = [ # @tiers[0].allocation.benefits
  "one", # @tiers[0].allocation.benefits[0]
  # a comment between elements
  "two, with ] and # inside", # @tiers[0].allocation.benefits[1]
  '''three''', """four""", # @tiers[0].allocation.benefits[3]
]

[[tiers]] # @tiers[1]
key = "b"
[[tiers.criteria.all]] # @tiers[1].criteria.all[0]
metric = "m" # @tiers[1].criteria.all[0].metric
[[tiers.criteria.all]] # @tiers[1].criteria.all[1]
min = 2 # @tiers[1].criteria.all[1].min
[[tiers.criteria.any]] # @tiers[1].criteria.any[0]

[[tiers]] # @tiers[2]
[[tiers.criteria.all]] # @tiers[2].criteria.all[0]
min = 3 # @tiers[2].criteria.all[0].min
[tiers.allocation] # @tiers[2].allocation

[[tracks]] # @tracks[0]
[tracks.thresholds.gold] # @tracks[0].thresholds.gold
"sourced pipeline" = 5 # @tracks[0].thresholds.gold."sourced pipeline"

[[tracks]] # @tracks[1]
thresholds = { silver = { a = 1 }, gold = { b = 2, # @tracks[1].thresholds.gold.b
  c = 3 } } # @tracks[1].thresholds.gold.c
crit = [ { metric = "x" }, # @tracks[1].crit[0].metric
  { metric = "y", min = [1, # @tracks[1].crit[1].min
  2] }, # @tracks[1].crit[1].min[1]
]
"esc\u0041ped" = 1 # @tracks[1].escAped
`

func TestLines(t *testing.T) {
	var v map[string]any
	if _, err := toml.Decode(linesSrc, &v); err != nil {
		t.Fatalf("the test file is not valid TOML: %v", err)
	}
	ix := scanLines(linesSrc)
	n := 0
	for i, l := range strings.Split(linesSrc, "\n") {
		_, path, ok := strings.Cut(l, "# @")
		if !ok {
			continue
		}
		n++
		if got, ok := ix[path]; !ok || got != i+1 {
			t.Errorf("%s: line %d (found %v), want %d", path, got, ok, i+1)
		}
	}
	if n < 30 {
		t.Fatalf("only %d marks", n)
	}
	// Nothing from inside strings or comments.
	for path := range ix {
		if strings.HasPrefix(path, "tiers[3]") || strings.Contains(path, "not") {
			t.Errorf("scanned %q from inside a string", path)
		}
	}
	// A missing key falls back to its table, then to line 1.
	for _, c := range []struct {
		p    keyPath
		want int
	}{
		{keyPath{"multi"}, 3},
		{keyPath{"lit"}, 7},
		{keyPath{"tiers", "[1]", "criteria", "all", "[1]", "metric"}, ix["tiers[1].criteria.all[1]"]},
		{keyPath{"tiers", "[2]", "name"}, ix["tiers[2]"]},
		{keyPath{"nothing"}, 1},
	} {
		if got := ix.line(c.p); got != c.want {
			t.Errorf("line(%s) = %d, want %d", c.p, got, c.want)
		}
	}
}

func TestKeyPath(t *testing.T) {
	p := keyPath{}.key("tiers").index(2).key("criteria").key("all").index(0).key("metric")
	if got := p.String(); got != "tiers[2].criteria.all[0].metric" {
		t.Errorf("path = %q", got)
	}
	if got := (keyPath{}).key("a.b").key("c d").key("").String(); got != `"a.b"."c d".""` {
		t.Errorf("quoted path = %q", got)
	}
	// key and index never share a backing array between siblings.
	base := keyPath{"a"}
	x, y := base.key("x"), base.key("y")
	if x.String() != "a.x" || y.String() != "a.y" {
		t.Errorf("siblings %s, %s", x, y)
	}
}

// Values nested deeper than the scanner follows are skipped whole, and the
// lines after them still count.
func TestLinesDeep(t *testing.T) {
	deep := strings.Repeat("[", 2*maxDepth) + "\"]\",\n" + strings.Repeat("]", 2*maxDepth)
	src := "a = " + deep + "\n\n[program]\nname = \"x\"\n"
	var v map[string]any
	if _, err := toml.Decode(src, &v); err != nil {
		t.Fatalf("the test file is not valid TOML: %v", err)
	}
	ix := scanLines(src)
	if got := ix["program.name"]; got != 5 {
		t.Errorf("program.name at line %d, want 5", got)
	}
}
