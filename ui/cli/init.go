package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/config"
	"github.com/partnertiers/partnertiers/store/csvin"
	"github.com/partnertiers/partnertiers/store/sample"
)

func runInit(c *ctx, args []string) error {
	fs := c.flagSet("init", "[--sample] [--size N]", "Write config.toml from the example (never overwriting one that exists) and create\nthe store. --sample fills the store with the built-in sample program; --size N\nmakes it N partners with the deterministic generator (for benchmarks).")
	withSample := fs.Bool("sample", false, "fill the store with the sample program")
	size := fs.Int("size", 0, "with --sample: generate `N` partners instead of the built-in eighty")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 0, "no arguments"); err != nil {
		return err
	}
	if *size < 0 || (*size > 0 && !*withSample) {
		return usagef("init: --size takes a positive number and goes with --sample")
	}
	cfgPath := c.configPath()
	wrote, err := config.WriteExample(cfgPath, c.env.Example)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	if wrote {
		fmt.Fprintf(c.env.Stdout, "wrote %s\n", cfgPath)
	} else {
		fmt.Fprintf(c.env.Stdout, "kept %s (it exists)\n", cfgPath)
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	st, created, err := c.createOrOpen()
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(c.env.Stdout, "created %s\n", st.Path())
	} else {
		fmt.Fprintf(c.env.Stdout, "kept %s (it exists)\n", st.Path())
	}
	if !*withSample {
		return nil
	}
	// The sample is fiction: never mix it into a store with partners.
	if ps, err := st.Partners(); err != nil {
		return err
	} else if len(ps) > 0 {
		return fmt.Errorf("init --sample: %s already holds %s; the sample only fills a new store (pass --store NEW.db, or remove this one)",
			st.Path(), model.Plural(len(ps), "partner", "partners"))
	}
	n, err := loadSample(c, st, cfg, *size)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "loaded the sample program: %d partners\n", n)
	return nil
}

func (c *ctx) createOrOpen() (*store.Store, bool, error) {
	path := c.storePath()
	if _, err := os.Stat(path); err == nil {
		st, err := store.Open(path, c.storeOptions())
		return st, false, err
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	st, err := store.Create(path, c.storeOptions())
	return st, true, err
}

// loadSample puts the sample program (or n generated partners) into the
// store through the same importers real data goes through.
func loadSample(c *ctx, st *store.Store, cfg *config.Config, n int) (int, error) {
	today := c.now()
	var data sample.Data
	if n > 0 {
		data = sample.Generate(n, today)
	} else {
		var err error
		if data, err = sample.Files(today); err != nil {
			return 0, fmt.Errorf("sample: %w", err)
		}
	}
	// The sample is written for the example program: check it fits this
	// config before writing anything, so a config that differs leaves the
	// store as it was, not half filled.
	if err := sampleFits(cfg.Program, data); err != nil {
		return 0, fmt.Errorf("the sample program does not fit %s (it is written for config.example.toml; `partnertiers demo` runs on that): %w", cfg.Path, err)
	}
	opts := store.ImportOptions{Now: today}
	var rep store.ImportReport
	err := sample.Load(data, sample.Importers{
		Partners: func(file string, csv []byte) (err error) {
			rep, err = st.ImportPartners(file, csv, cfg.Program, opts)
			return err
		},
		// The sample's columns are the defaults, whatever this config maps
		// real files from.
		Deals: func(file string, csv []byte) error {
			_, err := st.ImportDeals(file, csv, cfg.Program, store.DefaultDealColumns(), opts)
			return err
		},
		Production: func(file string, csv []byte) error {
			_, err := st.ImportProduction(file, csv, cfg.Program, store.DefaultProductionColumns(), opts)
			return err
		},
		History: func(hs []model.History) error {
			if rep.AlreadyImported || len(hs) == 0 {
				return nil
			}
			return st.AppendHistory(hs...)
		},
	})
	if err != nil {
		return 0, err
	}
	// Last week's calendar, through the same import as a real .ics.
	if n == 0 {
		if _, err := st.ImportCalendar(sample.CalendarFile, sample.Calendar(today), store.CalendarOptions{Zone: cfg.Calendar.Zone, Now: today}); err != nil {
			return 0, err
		}
	}
	return rep.Rows, nil
}

func productionColumns(cfg *config.Config) store.ProductionColumns {
	return store.ProductionColumns{Partner: cfg.Production.Partner, Period: cfg.Production.Period, Metrics: cfg.Production.Metrics}
}

// runDemo opens the app on a fresh temporary store holding the sample
// program, configured by the example config; the store is removed on exit.
func runDemo(c *ctx, args []string) error {
	fs := c.flagSet("demo", "[--size N]", "Open the app on a fresh temporary store holding the sample program.")
	size := fs.Int("size", 0, "generate `N` partners instead of the built-in eighty")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 0, "no arguments"); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "partnertiers-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg, err := config.Parse("config.example.toml", c.env.Example)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	st, err := store.Create(filepath.Join(dir, "partnertiers.db"), c.storeOptions())
	if err != nil {
		return err
	}
	if _, err := loadSample(c, st, cfg, *size); err != nil {
		return err
	}
	return startApp(c, cfg, st, "demo: a temporary store, gone on quit")
}

func runApp(c *ctx, _ []string) error {
	cfg, st, err := c.open()
	if err != nil {
		return err
	}
	return startApp(c, cfg, st, "")
}

// evaluationPeriod picks the period for a store's data.
func evaluationPeriod(c *ctx, p *model.Program, st *store.Store) (model.Period, error) {
	periods, err := st.Periods()
	if err != nil {
		return model.Period{}, err
	}
	return c.currentPeriod(p, periods), nil
}

// sampleFits parses the sample's files against the program, writing
// nothing, and returns the first thing that does not fit.
func sampleFits(p *model.Program, data sample.Data) error {
	ro, err := csvin.ParseRoster(sample.RosterFile, data.Roster, p)
	if err != nil {
		return err
	}
	if len(ro.Bad) > 0 {
		return ro.Bad[0]
	}
	if len(data.Deals) > 0 {
		ds, err := csvin.ParseDeals(sample.DealsFile, data.Deals, csvin.DefaultDealColumns())
		if err != nil {
			return err
		}
		if len(ds.Bad) > 0 {
			return ds.Bad[0]
		}
		// The deals import keeps only the metrics the program defines: a
		// program without these would load the sample without its stories.
		for _, k := range []string{model.MetricSourcedPipeline, model.MetricSourcedRevenue, model.MetricRegisteredDeals} {
			if _, ok := p.Metric(k); !ok {
				return fmt.Errorf("%s: no metric %q in the program for the deals to add up to", sample.DealsFile, k)
			}
		}
	}
	pr, err := csvin.ParseProduction(sample.ProductionFile, data.Production, p, csvin.DefaultProductionColumns())
	if err != nil {
		return err
	}
	if len(pr.Bad) > 0 {
		return pr.Bad[0]
	}
	return nil
}
