package cli

import "fmt"

func runBackup(c *ctx, args []string) error {
	fs := c.flagSet("backup", "FILE", "Copy a consistent snapshot of the store to FILE while others keep reading it.")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	c.safeOutput() // paths are text too: a file name may carry an escape
	if err := wantArgs(fs, pos, 1, "FILE"); err != nil {
		return err
	}
	st, err := c.openStore()
	if err != nil {
		return err
	}
	if err := st.Backup(pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "backed up %s to %s\n", st.Path(), pos[0])
	return nil
}
