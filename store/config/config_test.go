package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

func readExample(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("../../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestExample(t *testing.T) {
	cfg, err := Parse("config.toml", readExample(t))
	if err != nil {
		t.Fatalf("the example does not parse: %v", err)
	}
	p := cfg.Program
	if err := p.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if cfg.Path != "config.toml" {
		t.Errorf("Path = %q", cfg.Path)
	}
	var tiers []string
	for _, tr := range p.Tiers {
		tiers = append(tiers, tr.Key)
	}
	if got := strings.Join(tiers, " "); got != "registered silver gold" {
		t.Errorf("tiers = %s, want registered silver gold", got)
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"name", p.Name, "Acme Cloud Partner Program"},
		{"cadence", p.Cadence, model.Quarterly},
		{"window", p.Window, 2},
		{"grace reviews", p.GraceReviews, 1},
		{"top tier max share", p.TopTierMaxShare, 0.2},
		{"min alignment", p.MinAlignment, 70.0},
		{"metrics", len(p.Metrics), 6},
		{"tracks", len(p.Tracks), 3},
		{"managers", len(p.Managers), 3},
		{"silver name", p.TierName("silver"), "Silver"},
		{"gold criteria all", len(p.Tiers[2].Criteria.All), 3},
		{"gold criteria any", len(p.Tiers[2].Criteria.Any), 2},
		{"gold hours", p.Tiers[2].Allocation.HoursPerWeek, 3.0},
		{"gold mdf", p.Tiers[2].Allocation.MDFPerPeriod, 25000.0},
		{"gold benefits", len(p.Tiers[2].Allocation.Benefits), 4},
		{"registered hours", p.Tiers[0].Allocation.HoursPerWeek, 0.25},
		{"entry criteria empty", p.EntryTier().Criteria.Empty(), true},
		{"priya capacity", p.Managers[2].CapacityHours, 25.0},
		{"partner column", cfg.Production.Partner, "partner"},
		{"period column", cfg.Production.Period, "period"},
		{"pipeline column", cfg.Production.Metrics["sourced_pipeline"], "sourced_pipeline"},
		{"metric columns", len(cfg.Production.Metrics), 6},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	if m, _ := p.Metric("employees"); !m.Size {
		t.Error("employees is not a size metric")
	}
	if m, _ := p.Metric("certified_reps"); m.Singular != "certified rep" || m.Aggregate != model.Latest {
		t.Errorf("certified_reps = %+v", m)
	}
	if m, _ := p.Metric("sourced_pipeline"); m.Singular != "" || m.Unit != model.Money {
		t.Errorf("sourced_pipeline = %+v", m)
	}

	mins := []struct {
		track, tier, metric string
		want                float64
	}{
		{"isv", "gold", "sourced_pipeline", 300000},
		{"isv", "gold", "joint_customers", 6},
		{"isv", "gold", "sourced_revenue", 150000},
		{"isv", "silver", "sourced_pipeline", 75000},
		{"reseller", "gold", "sourced_pipeline", 400000},
		{"referral", "gold", "certified_reps", 2},
		{"", "gold", "sourced_pipeline", 400000},
	}
	for _, m := range mins {
		got, ok := p.CriteriaFor(m.track, m.tier).Min(m.metric)
		if !ok || got != m.want {
			t.Errorf("CriteriaFor(%q, %q).Min(%q) = %v, %v; want %v", m.track, m.tier, m.metric, got, ok, m.want)
		}
	}
}

// minimal is a small valid config the cases below change.
const minimal = `[[metrics]]
key = "pipeline"
label = "Sourced pipeline"
unit = "money"
aggregate = "sum"

[[metrics]]
key = "reps"
label = "Certified reps"
unit = "count"
aggregate = "latest"

[[tiers]]
key = "registered"
rank = 1

[[tiers]]
key = "silver"
rank = 2
[[tiers.criteria.all]]
metric = "pipeline"
min = 100000
[[tiers.criteria.all]]
metric = "reps"
min = 2

[[tiers]]
key = "gold"
rank = 3
[tiers.allocation]
hours_per_week = 3
[[tiers.criteria.all]]
metric = "pipeline"
min = 400000
[[tiers.criteria.all]]
metric = "reps"
min = 5

[[tracks]]
key = "isv"
[tracks.thresholds.gold]
pipeline = 300000
`

func TestDefaults(t *testing.T) {
	cfg, err := Parse("config.toml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Program
	checks := []struct {
		what      string
		got, want any
	}{
		{"name", p.Name, DefaultProgramName},
		{"cadence", p.Cadence, model.Quarterly},
		{"window", p.Window, 1},
		{"grace reviews", p.GraceReviews, 1},
		{"top tier max share", p.TopTierMaxShare, 0.25},
		{"min alignment", p.MinAlignment, 70.0},
		{"tier name", p.TierName("gold"), "gold"},
		{"track name", p.Tracks[0].Name, "isv"},
		{"partner column", cfg.Production.Partner, "partner"},
		{"period column", cfg.Production.Period, "period"},
		{"pipeline column", cfg.Production.Metrics["pipeline"], "pipeline"},
		{"reps column", cfg.Production.Metrics["reps"], "reps"},
		{"managers", len(p.Managers), 0},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestOptions(t *testing.T) {
	src := `[program]
name = "  Partners  "
cadence = "Half-Yearly"
window = 3
grace_reviews = 0
top_tier_max_share = 1
min_alignment_score = 0

[import.production]
partner_column = "Partner ID"
period_column = "Quarter"
[import.production.columns]
pipeline = "Sourced Pipeline (USD)"
` + minimal
	cfg, err := Parse("config.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Program
	if p.Name != "Partners" || p.Cadence != model.HalfYearly || p.Window != 3 || p.GraceReviews != 0 ||
		p.TopTierMaxShare != 1 || p.MinAlignment != 0 {
		t.Errorf("program = %+v", p)
	}
	want := ProductionColumns{Partner: "Partner ID", Period: "Quarter",
		Metrics: map[string]string{"pipeline": "Sourced Pipeline (USD)", "reps": "reps"}}
	if cfg.Production.Partner != want.Partner || cfg.Production.Period != want.Period ||
		len(cfg.Production.Metrics) != 2 || cfg.Production.Metrics["pipeline"] != want.Metrics["pipeline"] ||
		cfg.Production.Metrics["reps"] != "reps" {
		t.Errorf("production = %+v, want %+v", cfg.Production, want)
	}
}

// Tiers come sorted by rank whatever order the file has them in; ranks need
// not be consecutive. More than four tiers and size metrics in criteria are
// the health check's business, not errors.
func TestTiersSortedByRank(t *testing.T) {
	src := `[[metrics]]
key = "pipeline"
unit = "money"
aggregate = "sum"
[[metrics]]
key = "employees"
unit = "count"
aggregate = "latest"
size = true
`
	for _, tr := range []struct {
		key  string
		rank int
		min  int
	}{{"gold", 30, 400}, {"entry", 1, 0}, {"platinum", 40, 800}, {"silver", 20, 200}, {"bronze", 10, 100}} {
		src += "[[tiers]]\nkey = \"" + tr.key + "\"\nrank = " + strconv.Itoa(tr.rank) + "\n"
		if tr.min > 0 {
			src += "[[tiers.criteria.all]]\nmetric = \"pipeline\"\nmin = " + strconv.Itoa(tr.min) + "\n"
			src += "[[tiers.criteria.any]]\nmetric = \"employees\"\nmin = " + strconv.Itoa(tr.min) + "\n"
		}
	}
	cfg, err := Parse("config.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range cfg.Program.Tiers {
		got = append(got, tr.Key)
	}
	if s := strings.Join(got, " "); s != "entry bronze silver gold platinum" {
		t.Errorf("tiers = %s", s)
	}
}

// Criteria written as inline tables, over several lines, parse the same.
func TestInlineCriteria(t *testing.T) {
	src := strings.Replace(minimal, `[[tiers.criteria.all]]
metric = "pipeline"
min = 400000
[[tiers.criteria.all]]
metric = "reps"
min = 5
`, `[tiers.criteria]
all = [
  { metric = "pipeline", min = 400_000 },
  { metric = "reps", min = 5 },
]
`, 1)
	cfg, err := Parse("config.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := cfg.Program.CriteriaFor("", "gold").Min("pipeline"); got != 400000 {
		t.Errorf("gold pipeline = %v", got)
	}
}

// errorCases change the minimal config; "#!" marks the line the error must
// name.
var errorCases = []struct {
	name string
	src  string
	key  string   // the key path the error names
	want []string // more text the message holds
}{
	{
		name: "calendar: unknown zone",
		src:  minimal + "[calendar]\ntimezone = \"Mars/Olympus\" #!\n",
		key:  "calendar.timezone",
		want: []string{`timezone "Mars/Olympus" is not an IANA zone name`},
	},
	{
		name: "deals: one column for two fields",
		src:  minimal + "[import.deals]\nid = \"Deal\"\npartner = \"deal\" #!\n",
		key:  "import.deals.partner",
		want: []string{`column "deal" is also the id column`},
	},
	{
		name: "deals: a stage both won and lost",
		src:  minimal + "[import.deals]\nwon_stages = [\"Won\"]\nlost_stages = [\"Lost\", \"won\"] #!\n",
		key:  "import.deals.lost_stages",
		want: []string{`stage "Won" is both won and lost`},
	},
	{
		name: "deals: a date format that is no layout",
		src:  minimal + "[import.deals]\ndate_format = \"dd/mm\" #!\n",
		key:  "import.deals.date_format",
		want: []string{`"dd/mm": want auto, iso, us or a Go layout`},
	},
	{
		name: "deals: an unknown key",
		src:  minimal + "[import.deals]\nowner = \"Deal Owner\" #!\n",
		key:  "import.deals.owner",
		want: []string{`unknown key "owner"`},
	},
	{
		name: "calendar: the machine's zone",
		src:  minimal + "[calendar]\ntimezone = \"Local\" #!\n",
		key:  "calendar.timezone",
		want: []string{`timezone "Local" is not an IANA zone name`},
	},
	{
		name: "grace reviews beyond the cap",
		src:  "[program]\ngrace_reviews = 200000 #!\n" + minimal,
		key:  "program.grace_reviews",
		want: []string{"200000: grace reviews are 0 (every miss demotes) to 8"},
	},
	{
		name: "calendar: owner is not an email",
		src:  minimal + "[calendar]\nowner_email = \"dana\" #!\n",
		key:  "calendar.owner_email",
		want: []string{`owner_email "dana" is not an email address`},
	},
	{
		name: "calendar: internal domain is an address",
		src:  minimal + "[calendar]\ninternal_domains = [\"acme.example\", \"dana@acme.example\"] #!\n",
		key:  "calendar.internal_domains",
		want: []string{`internal_domains[1] "dana@acme.example" is not a domain`},
	},
	{
		name: "calendar: unknown key",
		src:  minimal + "[calendar]\nzone = \"UTC\" #!\n",
		key:  "calendar.zone",
		want: []string{`unknown key "zone"`},
	},
	{
		name: "unknown top-level key",
		src:  "colour = \"blue\" #!\n" + minimal,
		key:  "colour",
		want: []string{`unknown key "colour"`, "at the top level", "program, metrics, tiers"},
	},
	{
		name: "unknown top-level table",
		src:  minimal + "[programme] #!\nname = \"x\"\n",
		key:  "programme",
		want: []string{`unknown key "programme"`, `did you mean "program"?`},
	},
	{
		name: "unknown key in program",
		src:  "[program]\nname = \"x\"\nwindows = 2 #!\n" + minimal,
		key:  "program.windows",
		want: []string{`unknown key "windows"`, `did you mean "window"?`, "in [program]"},
	},
	{
		name: "unknown key in a tier",
		src:  strings.Replace(minimal, "key = \"silver\"\n", "key = \"silver\"\nlabel = \"Silver\" #!\n", 1),
		key:  "tiers[1].label",
		want: []string{`unknown key "label"`, "in [tiers]", "key, name, rank, criteria, allocation"},
	},
	{
		name: "unknown key in an allocation",
		src:  strings.Replace(minimal, "hours_per_week = 3\n", "hours_per_wk = 3 #!\n", 1),
		key:  "tiers[2].allocation.hours_per_wk",
		want: []string{`unknown key "hours_per_wk"`, `did you mean "hours_per_week"?`, "in [tiers.allocation]"},
	},
	{
		name: "unknown key in a criterion",
		src:  strings.Replace(minimal, "metric = \"reps\"\nmin = 5\n", "metrik = \"reps\" #!\nmin = 5\n", 1),
		key:  "tiers[2].criteria.all[1].metrik",
		want: []string{`unknown key "metrik"`, `did you mean "metric"?`, "in [tiers.criteria.all]"},
	},
	{
		name: "unknown key in a metric",
		src:  strings.Replace(minimal, "unit = \"count\"\n", "unit = \"count\"\nsingle = \"rep\" #!\n", 1),
		key:  "metrics[1].single",
		want: []string{`unknown key "single"`},
	},
	{
		name: "unknown key in import",
		src:  minimal + "[import.production]\npartner = \"Partner\" #!\n",
		key:  "import.production.partner",
		want: []string{`unknown key "partner"`, "in [import.production]", "partner_column"},
	},
	{
		name: "wrong type in the second of several criteria",
		src:  strings.Replace(minimal, "min = 5\n", "min = \"five\" #!\n", 1),
		key:  "tiers[2].criteria.all[1].min",
		want: []string{`want a number, got the string "five"`},
	},
	{
		name: "wrong type in an inline criterion",
		src: strings.Replace(minimal, `[[tiers.criteria.all]]
metric = "pipeline"
min = 400000
[[tiers.criteria.all]]
metric = "reps"
min = 5
`, `[tiers.criteria]
all = [
  { metric = "pipeline", min = 400000 },
  { metric = "reps", min = true }, #!
]
`, 1),
		key:  "tiers[2].criteria.all[1].min",
		want: []string{"want a number, got true"},
	},
	{
		name: "not a number",
		src:  strings.Replace(minimal, "min = 5\n", "min = nan #!\n", 1),
		key:  "tiers[2].criteria.all[1].min",
		want: []string{"want a finite number"},
	},
	{
		name: "falling threshold",
		src:  strings.Replace(minimal, "min = 400000\n", "min = 50000 #!\n", 1),
		key:  "tiers[2].criteria.all[0].min",
		want: []string{`tier "gold"`, `metric "pipeline"`, `tier "silver"`, "$50,000", "$100,000", "never fall"},
	},
	{
		name: "falling threshold past a tier without the metric",
		// silver: reps 1, pipeline 500000 (the registered tier has none);
		// gold: pipeline 400000 #!, reps 5.
		src: strings.NewReplacer(
			"metric = \"pipeline\"\nmin = 100000\n", "metric = \"reps\"\nmin = 1\n",
			"metric = \"reps\"\nmin = 2\n", "metric = \"pipeline\"\nmin = 500000\n",
			"min = 400000\n", "min = 400000 #!\n",
		).Replace(minimal),
		key:  "tiers[2].criteria.all[0].min",
		want: []string{`tier "gold"`, `metric "pipeline"`, `tier "silver"`, "$400,000", "$500,000"},
	},
	{
		name: "falling threshold through a track override",
		src:  strings.Replace(minimal, "pipeline = 300000\n", "pipeline = 90000 #!\n", 1),
		key:  "tracks[0].thresholds.gold.pipeline",
		want: []string{`in track "isv"`, `tier "gold"`, `metric "pipeline"`, `tier "silver"`, "$90,000", "$100,000"},
	},
	{
		name: "falling threshold through a track override of the tier below",
		src:  minimal + "[[tracks]]\nkey = \"referral\"\n[tracks.thresholds.silver]\npipeline = 450000 #!\n",
		key:  "tracks[1].thresholds.silver.pipeline",
		want: []string{`in track "referral"`, `tier "gold"`, `metric "pipeline"`, `tier "silver"`, "$400,000", "$450,000"},
	},
	{
		name: "falling threshold between two overrides",
		src:  strings.Replace(minimal, "pipeline = 300000\n", "pipeline = 300000 #!\n", 1) + "[tracks.thresholds.silver]\npipeline = 350000\n",
		key:  "tracks[0].thresholds.gold.pipeline",
		want: []string{`in track "isv"`, `tier "gold"`, `metric "pipeline"`, `tier "silver"`, "$300,000", "$350,000"},
	},
	{
		name: "undefined metric",
		src:  strings.Replace(minimal, "metric = \"pipeline\"\nmin = 400000\n", "metric = \"pipelin\" #!\nmin = 400000\n", 1),
		key:  "tiers[2].criteria.all[0].metric",
		want: []string{`metric "pipelin" is not defined (metrics: pipeline, reps)`},
	},
	{
		name: "duplicate tier key",
		src:  strings.Replace(minimal, "key = \"gold\"\n", "key = \"silver\" #!\n", 1),
		key:  "tiers[2].key",
		want: []string{`tier key "silver" is used twice (first at line 18)`},
	},
	{
		name: "duplicate rank",
		src:  strings.Replace(minimal, "rank = 3\n", "rank = 2 #!\n", 1),
		key:  "tiers[2].rank",
		want: []string{`tier "gold" has rank 2, as tier "silver" does (line 19)`},
	},
	{
		name: "missing rank",
		src:  strings.Replace(minimal, "[[tiers]]\nkey = \"gold\"\nrank = 3\n", "[[tiers]] #!\nkey = \"gold\"\n", 1),
		key:  "tiers[2].rank",
		want: []string{`tier "gold" needs a rank`},
	},
	{
		name: "one tier",
		src: `[[metrics]]
key = "pipeline"
unit = "money"
aggregate = "sum"

[[tiers]] #!
key = "registered"
rank = 1
`,
		key:  "tiers",
		want: []string{`at least two tiers, has one ("registered")`},
	},
	{
		name: "no tiers",
		src:  "[program] #!\nname = \"x\"\n",
		key:  "tiers",
		want: []string{"at least two tiers, has none"},
	},
	{
		name: "criteria on the entry tier",
		src:  strings.Replace(minimal, "rank = 1\n", "rank = 1\n[[tiers.criteria.all]] #!\nmetric = \"reps\"\nmin = 1\n", 1),
		key:  "tiers[0].criteria",
		want: []string{`tier "registered" is the entry tier`},
	},
	{
		name: "the entry tier by rank, not by place",
		src:  strings.Replace(minimal, "rank = 2\n[[tiers.criteria.all]]\n", "rank = 0\n[[tiers.criteria.all]] #!\n", 1),
		key:  "tiers[1].criteria",
		want: []string{`tier "silver" is the entry tier`},
	},
	{
		name: "a higher tier without criteria",
		src:  minimal + "[[tiers]] #!\nkey = \"platinum\"\nrank = 4\n",
		key:  "tiers[3]",
		want: []string{`tier "platinum" has no criteria`},
	},
	{
		name: "a higher tier with an empty criteria table",
		src:  minimal + "[[tiers]]\nkey = \"platinum\"\nrank = 4\n[tiers.criteria] #!\n",
		key:  "tiers[3].criteria",
		want: []string{`tier "platinum" has no criteria`},
	},
	{
		name: "criterion named twice",
		src:  strings.Replace(minimal, "metric = \"reps\"\nmin = 5\n", "metric = \"pipeline\" #!\nmin = 5\n", 1),
		key:  "tiers[2].criteria.all[1].metric",
		want: []string{`tier "gold" names metric "pipeline" twice`},
	},
	{
		name: "negative threshold",
		src:  strings.Replace(minimal, "min = 2\n", "min = -2 #!\n", 1),
		key:  "tiers[1].criteria.all[1].min",
		want: []string{"-2: a threshold is not negative"},
	},
	{
		name: "bad unit",
		src:  strings.Replace(minimal, "unit = \"money\"\n", "unit = \"usd\" #!\n", 1),
		key:  "metrics[0].unit",
		want: []string{`unit "usd" is not one of money, count, percent`},
	},
	{
		name: "missing unit",
		src: strings.NewReplacer("[[metrics]]\nkey = \"reps\"", "[[metrics]] #!\nkey = \"reps\"", "unit = \"count\"\n", "").
			Replace(minimal),
		key:  "metrics[1].unit",
		want: []string{"missing: the unit is one of money, count, percent"},
	},
	{
		name: "bad aggregate",
		src:  strings.Replace(minimal, "aggregate = \"latest\"\n", "aggregate = \"max\" #!\n", 1),
		key:  "metrics[1].aggregate",
		want: []string{`aggregate "max" is not one of sum, latest`},
	},
	{
		name: "duplicate metric",
		src:  strings.Replace(minimal, "key = \"reps\"\n", "key = \"pipeline\" #!\n", 1),
		key:  "metrics[1].key",
		want: []string{`metric key "pipeline" is used twice (first at line 2)`},
	},
	{
		name: "metric key with a space",
		src:  strings.Replace(minimal, "key = \"reps\"\n", "key = \"certified reps\" #!\n", 1),
		key:  "metrics[1].key",
		want: []string{`"certified reps" is not a metric key`},
	},
	{
		name: "bad cadence",
		src:  "[program]\ncadence = \"monthly\" #!\n" + minimal,
		key:  "program.cadence",
		want: []string{`"monthly" is not a cadence: want "quarterly" or "half-yearly"`},
	},
	{
		name: "a period for a cadence",
		src:  "[program]\ncadence = \"2026-Q3\" #!\n" + minimal,
		key:  "program.cadence",
		want: []string{`"2026-Q3" is a period, not a cadence: want "quarterly" or "half-yearly"`},
	},
	{
		name: "cadence of the wrong type",
		src:  "[program]\ncadence = 4 #!\n" + minimal,
		key:  "program.cadence",
		want: []string{"want a string, got the integer 4"},
	},
	{
		name: "window zero",
		src:  "[program]\nwindow = 0 #!\n" + minimal,
		key:  "program.window",
		want: []string{"0 periods: the window is 1 to 20 periods"},
	},
	{
		name: "negative grace",
		src:  "[program]\ngrace_reviews = -1 #!\n" + minimal,
		key:  "program.grace_reviews",
		want: []string{"-1: grace reviews are 0"},
	},
	{
		name: "share as a percent",
		src:  "[program]\ntop_tier_max_share = 25 #!\n" + minimal,
		key:  "program.top_tier_max_share",
		want: []string{"25: a share is more than 0 and at most 1 (for 25% write 0.25)"},
	},
	{
		name: "zero share",
		src:  "[program]\ntop_tier_max_share = 0.0 #!\n" + minimal,
		key:  "program.top_tier_max_share",
		want: []string{"0: a share is more than 0"},
	},
	{
		name: "alignment over 100",
		src:  "[program]\nmin_alignment_score = 120 #!\n" + minimal,
		key:  "program.min_alignment_score",
		want: []string{"120: the alignment score is 0 to 100"},
	},
	{
		name: "blank program name",
		src:  "[program]\nname = \"  \" #!\n" + minimal,
		key:  "program.name",
		want: []string{"is blank"},
	},
	{
		name: "track names an undefined tier",
		src:  minimal + "[tracks.thresholds.platinum] #!\npipeline = 900000\n",
		key:  "tracks[0].thresholds.platinum",
		want: []string{`tier "platinum" is not defined (tiers: registered, silver, gold)`},
	},
	{
		name: "track overrides a metric the tier has no criterion on",
		src:  strings.Replace(minimal, "pipeline = 300000\n", "pipeline = 300000\nemployees = 10 #!\n", 1),
		key:  "tracks[0].thresholds.gold.employees",
		want: []string{`metric "employees" is not defined`},
	},
	{
		name: "track overrides the entry tier",
		src:  minimal + "[tracks.thresholds.registered]\nreps = 1 #!\n",
		key:  "tracks[0].thresholds.registered.reps",
		want: []string{`tier "registered" is the entry tier and has no criteria to override`},
	},
	{
		name: "track overrides a defined metric outside the tier's criteria",
		src: strings.Replace(strings.Replace(minimal, "[[tiers.criteria.all]]\nmetric = \"reps\"\nmin = 5\n", "", 1),
			"pipeline = 300000\n", "pipeline = 300000\nreps = 4 #!\n", 1),
		key:  "tracks[0].thresholds.gold.reps",
		want: []string{`tier "gold" has no criterion on metric "reps" to override (its criteria: pipeline)`},
	},
	{
		name: "duplicate track",
		src:  minimal + "[[tracks]]\nkey = \"isv\" #!\n",
		key:  "tracks[1].key",
		want: []string{`track key "isv" is used twice (first at line 40)`},
	},
	{
		name: "duplicate manager",
		src:  minimal + "[[managers]]\nname = \"Dana Reyes\"\n[[managers]]\nname = \"dana reyes\" #!\n",
		key:  "managers[1].name",
		want: []string{`manager "dana reyes" is listed twice (first at line 44)`},
	},
	{
		name: "negative capacity",
		src:  minimal + "[[managers]]\nname = \"Dana Reyes\"\ncapacity_hours_per_week = -5 #!\n",
		key:  "managers[0].capacity_hours_per_week",
		want: []string{"-5: capacity is 0 or more"},
	},
	{
		name: "manager without a name",
		src:  minimal + "[[managers]] #!\nemail = \"dana@example.com\"\n",
		key:  "managers[0].name",
		want: []string{"missing: every manager needs a name"},
	},
	{
		name: "mapping to an undefined metric",
		src:  minimal + "[import.production.columns]\npipelin = \"Pipeline\" #!\n",
		key:  "import.production.columns.pipelin",
		want: []string{`metric "pipelin" is not defined (metrics: pipeline, reps)`},
	},
	{
		name: "blank column",
		src:  minimal + "[import.production]\npartner_column = \"\" #!\n",
		key:  "import.production.partner_column",
		want: []string{"is blank"},
	},
	{
		name: "two metrics in one column",
		src:  minimal + "[import.production.columns]\npipeline = \"Pipeline\"\nreps = \"pipeline \" #!\n",
		key:  "import.production.columns.reps",
		want: []string{`column "pipeline" is also the column of metric "pipeline"`},
	},
	{
		name: "a metric in the partner column",
		src:  minimal + "[import.production]\npartner_column = \"reps\" #!\n",
		key:  "import.production.partner_column",
		want: []string{`column "reps" is also the column of metric "reps"`},
	},
	{
		name: "control characters in a name",
		src:  strings.Replace(minimal, "key = \"silver\"\n", "key = \"silver\"\nname = \"Silver\\u001b[2J\" #!\n", 1),
		key:  "tiers[1].name",
		want: []string{`"Silver\x1b[2J" holds a control character`},
	},
	{
		name: "a bidi override in a benefit",
		src:  strings.Replace(minimal, "hours_per_week = 3\n", "hours_per_week = 3\nbenefits = [\"ok\", \"\u202egnp.exe\"] #!\n", 1),
		key:  "tiers[2].allocation.benefits[1]",
		want: []string{`"\u202egnp.exe" holds a control character`},
	},
	{
		name: "syntax error with a raw escape",
		src:  "[program]\nname\x1b[31m = 1 #!\n",
		want: []string{"invalid TOML"},
	},
	{
		name: "syntax error",
		src:  "[program]\nname = \"Acme #!\nwindow = 2\n" + minimal,
		want: []string{"invalid TOML: strings cannot contain newlines"},
	},
	{
		name: "duplicate key",
		src:  "[program]\nwindow = 2\nwindow = 3 #!\n" + minimal,
		want: []string{"invalid TOML", "program.window", "already been defined"},
	},
}

func TestErrors(t *testing.T) {
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			line := markedLine(t, c.src)
			_, err := Parse("config.toml", []byte(c.src))
			if err == nil {
				t.Fatalf("no error; want one at line %d", line)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not an *Error", err, err)
			}
			if e.File != "config.toml" || e.Line != line || e.Key != c.key {
				t.Errorf("error at %s:%d key %q, want config.toml:%d key %q\n%v", e.File, e.Line, e.Key, line, c.key, err)
			}
			prefix := "config.toml:" + strconv.Itoa(line) + ": "
			if c.key != "" {
				prefix += c.key + ": "
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, prefix) {
				t.Errorf("error %q does not start with %q", msg, prefix)
			}
			if strings.ContainsFunc(msg, unsafeRune) {
				t.Errorf("error %q holds a control character", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
		})
	}
}

// markedLine is the line (from 1) holding "#!".
func markedLine(t *testing.T, src string) int {
	t.Helper()
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, "#!") {
			return i + 1
		}
	}
	t.Fatal("no line is marked #!")
	return 0
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if _, err := Load(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v, want fs.ErrNotExist", err)
	}
	if err := os.WriteFile(path, readExample(t), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Path != path {
		t.Errorf("Path = %q, want %q", cfg.Path, path)
	}
	bad := strings.Replace(string(readExample(t)), `unit = "money"`, `unit = "dollars"`, 1)
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+":38: metrics[0].unit: ") {
		t.Errorf("Load of a bad file: %v, want it to name %s:38", err, path)
	}
}

func TestWriteExample(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "xdg", "partnertiers")
	path := filepath.Join(dir, "config.toml")
	example := readExample(t)

	wrote, err := WriteExample(path, example)
	if err != nil || !wrote {
		t.Fatalf("WriteExample = %v, %v; want true, nil", wrote, err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(example) {
		t.Fatalf("the file holds %d bytes (%v), want the example's %d", len(got), err, len(example))
	}
	if runtime.GOOS != "windows" {
		for _, c := range []struct {
			path string
			perm fs.FileMode
		}{{dir, 0o700}, {path, 0o600}} {
			fi, err := os.Stat(c.path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != c.perm {
				t.Errorf("%s has mode %v, want %v", c.path, fi.Mode().Perm(), c.perm)
			}
		}
	}

	// Never overwrite: not the example again, not anything else.
	if err := os.WriteFile(path, []byte("# mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wrote, err = WriteExample(path, example)
	if err != nil || wrote {
		t.Fatalf("WriteExample over an existing file = %v, %v; want false, nil", wrote, err)
	}
	if got, _ := os.ReadFile(path); string(got) != "# mine\n" {
		t.Errorf("the existing file was changed: %q", got)
	}

	// A folder where the file should be is an error, not "exists".
	if wrote, err := WriteExample(dir, example); err == nil || wrote {
		t.Errorf("WriteExample onto a folder = %v, %v; want an error", wrote, err)
	}
}

func TestDefaultPath(t *testing.T) {
	home, _ := os.UserHomeDir()
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"override", map[string]string{"PARTNERTIERS_CONFIG": "/etc/pt.toml", "XDG_CONFIG_HOME": "/x", "HOME": "/h"}, "/etc/pt.toml"},
		{"xdg", map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, filepath.Join("/x", "partnertiers", "config.toml")},
		{"relative xdg is ignored", map[string]string{"XDG_CONFIG_HOME": "x", "HOME": "/h"}, filepath.Join("/h", ".config", "partnertiers", "config.toml")},
		{"home", map[string]string{"HOME": "/h"}, filepath.Join("/h", ".config", "partnertiers", "config.toml")},
		{"nothing set", map[string]string{}, filepath.Join(home, ".config", "partnertiers", "config.toml")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := DefaultPath(func(k string) string { return c.env[k] }); got != c.want {
				t.Errorf("DefaultPath = %q, want %q", got, c.want)
			}
		})
	}
}

func TestCalendarSection(t *testing.T) {
	cfg, err := Load(filepath.Join("..", "..", "config.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Calendar
	if c.Zone.String() != "America/New_York" || c.Owner != "dana.reyes@acmecloud.example" || !slices.Equal(c.Internal, []string{"acmecloud.example"}) {
		t.Errorf("calendar = %v %q %v", c.Zone, c.Owner, c.Internal)
	}
	bare, err := Parse("config.toml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if bare.Calendar.Zone != time.UTC || bare.Calendar.Owner != "" || bare.Calendar.Internal != nil {
		t.Errorf("defaults = %+v, want UTC and nothing else", bare.Calendar)
	}
}

func TestDealColumns(t *testing.T) {
	cfg, err := Load(filepath.Join("..", "..", "config.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Deals
	if d.ID != "Opportunity ID" || d.Partner != "Partner Account" || !slices.Equal(d.WonStages, []string{"Closed Won"}) || d.DateFormat != "auto" {
		t.Errorf("example deal columns = %+v", d)
	}
	hub, err := Parse("config.toml", []byte(minimal+"[import.deals]\nid = \"Deal ID\"\nstage = \"Deal Stage\"\nwon_stages = [\"closedwon\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if hub.Deals.ID != "Deal ID" || hub.Deals.Stage != "Deal Stage" || hub.Deals.Partner != "Partner Account" || !slices.Equal(hub.Deals.WonStages, []string{"closedwon"}) {
		t.Errorf("mapped deal columns = %+v (unset keys keep Salesforce's names)", hub.Deals)
	}
}
