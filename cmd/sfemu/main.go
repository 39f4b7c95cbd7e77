// Command sfemu runs the Snowflake emulator (package sfemu) as a program for
// demos and manual testing: gosnowflake clients connect with
// protocol=http, host and port of -listen, and any account in -account.
package main

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	if err := run(os.Args[1:], os.Stdout, sig); err != nil {
		fmt.Fprintln(os.Stderr, "sfemu:", err)
		os.Exit(1)
	}
}

// run serves until stop delivers a signal.
func run(args []string, out io.Writer, stop <-chan os.Signal) error {
	fs := flag.NewFlagSet("sfemu", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8085", "address to serve on (host:port; port 0 picks a free one)")
	pgDSN := fs.String("postgres", "", "backing PostgreSQL DSN (default $SFEMU_POSTGRES_DSN); empty starts a throwaway cluster removed at exit")
	stageDir := fs.String("stage-dir", "", "directory for internal stage files (default: a temporary directory removed at exit)")
	account := fs.String("account", "", "comma-separated accepted account names (empty accepts any)")
	user := fs.String("user", "sfemu", "user name that may log in")
	password := fs.String("password", "", "the user's password (default $SFEMU_PASSWORD; empty disables password login)")
	pubKey := fs.String("public-key", "", "PEM file with the user's RSA public key for key-pair (SNOWFLAKE_JWT) login")
	var tokens multiFlag
	fs.Var(&tokens, "oauth-token", "accepted OAuth access token for the user (repeatable)")
	var faults multiFlag
	fs.Var(&faults, "fault", "inject a fault: ENDPOINT[:STATEMENT]:nth=N|every=N:503|drop, e.g. query:COPY:every=3:503 (repeatable)")
	putTransport := fs.String("put-transport", "http", "how PUT delivers files: http (presigned URLs on the emulator; PUT from a stream works) or local (LOCAL_FS into -stage-dir; same machine only)")
	latency := fs.Duration("latency", 0, "delay added to every request")
	tokenTTL := fs.Duration("token-ttl", 0, "session tokens expire after this long (clients renew with 390112)")
	verbose := fs.Bool("v", false, "log one line per request")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: sfemu [flags]\n\nServes the Snowflake REST API that gosnowflake uses, backed by PostgreSQL.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	// Secrets come from the environment when not given; never shown as flag defaults.
	if *pgDSN == "" {
		*pgDSN = os.Getenv("SFEMU_POSTGRES_DSN")
	}
	if *password == "" {
		*password = os.Getenv("SFEMU_PASSWORD")
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	u := sfemu.User{Name: *user, Password: *password}
	if *pubKey != "" {
		k, err := readPublicKey(*pubKey)
		if err != nil {
			return err
		}
		u.PublicKey = k
	}
	cfg := sfemu.Config{Users: []sfemu.User{u}, OAuthTokens: map[string]string{}, PutTransport: *putTransport}
	for _, t := range tokens {
		cfg.OAuthTokens[t] = *user
	}
	if *account != "" {
		cfg.Accounts = strings.Split(*account, ",")
	}
	cfg.Faults.Latency, cfg.Faults.TokenTTL = *latency, *tokenTTL
	for _, f := range faults {
		r, err := parseFault(f)
		if err != nil {
			return err
		}
		cfg.Faults.Rules = append(cfg.Faults.Rules, r)
	}
	if *verbose {
		cfg.Logf = log.Printf
	}
	cfg.PostgresDSN = *pgDSN
	if cfg.PostgresDSN == "" {
		c, err := pgtest.New(pgtest.Options{})
		if err != nil {
			return fmt.Errorf("start PostgreSQL: %w", err)
		}
		defer c.Close()
		if err := c.CreateDatabase(context.Background(), "sfemu"); err != nil {
			return err
		}
		cfg.PostgresDSN = c.DSN("sfemu")
	}
	cfg.StageDir = *stageDir
	if cfg.StageDir == "" {
		d, err := os.MkdirTemp("", "sfemu-stages-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		cfg.StageDir = d
	}
	srv, err := sfemu.New(cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := srv.Start(*listen); err != nil {
		return err
	}
	fmt.Fprintf(out, "sfemu listening on %s\n", srv.URL())
	<-stop
	fmt.Fprintln(out, "sfemu: shutting down")
	return nil
}

func readPublicKey(path string) (*rsa.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("%s: no PEM block", path)
	}
	k, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%s: not an RSA public key", path)
	}
	return rk, nil
}

// parseFault reads ENDPOINT[:STATEMENT]:nth=N|every=N:MODE.
func parseFault(s string) (sfemu.FaultRule, error) {
	parts := strings.Split(s, ":")
	bad := fmt.Errorf("-fault %q: want ENDPOINT[:STATEMENT]:nth=N|every=N:503|drop", s)
	if len(parts) < 3 || len(parts) > 4 {
		return sfemu.FaultRule{}, bad
	}
	r := sfemu.FaultRule{Endpoint: parts[0], Mode: parts[len(parts)-1]}
	if len(parts) == 4 {
		r.Statement = parts[1]
	}
	k, v, ok := strings.Cut(parts[len(parts)-2], "=")
	n, err := strconv.Atoi(v)
	if !ok || err != nil || n < 1 {
		return r, bad
	}
	switch k {
	case "nth":
		r.Nth = n
	case "every":
		r.Every = n
	default:
		return r, bad
	}
	if r.Mode != "503" && r.Mode != "drop" {
		return r, bad
	}
	return r, nil
}
