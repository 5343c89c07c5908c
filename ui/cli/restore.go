package cli

import (
	"fmt"

	"github.com/partnertiers/partnertiers/store"
)

const restoreHelp = `Replace the store with the store in FILE, a copy ` + "`partnertiers backup`" + ` made.

FILE is checked first (bbolt's consistency check, a schema this partnertiers
can read). The restore is refused while another partnertiers is reading or
writing the store; an open app that is idle does not count, and shows the
restored store when it next reads. The replaced store is kept beside it as
partnertiers.db.bak-replaced-TIME, and the swap is a rename: the store is
always whole.`

func runRestore(c *ctx, args []string) error {
	fs := c.flagSet("restore", "FILE", restoreHelp)
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	c.safeOutput() // paths are text too: a file name may carry an escape
	if err := wantArgs(fs, pos, 1, "FILE"); err != nil {
		return err
	}
	path := c.storePath()
	replaced, err := store.Restore(path, pos[0], c.storeOptions())
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "restored %s from %s\n", path, pos[0])
	if replaced != "" {
		fmt.Fprintf(c.env.Stdout, "the replaced store is kept as %s\n", replaced)
	}
	return nil
}
