package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"securelink/api/wiring"
	"securelink/internal/domain"
	"securelink/internal/provideraccounts"
	"securelink/internal/psp"
)

// merchantConnect connects a merchant's provider account as the operator: every field of the
// provider is a flag (--secret-key for secret_key), operator-only ones included. Secrets given
// as flags show in the shell's history and process list: pass "-" to read one from standard input.
func merchantConnect(args []string) error {
	wiring.RegisterProviders()
	fs := flag.NewFlagSet("merchant connect", flag.ExitOnError)
	merchant := fs.String("merchant", "", "merchant id (mer_…)")
	mode := fs.String("mode", "test", "test or live")
	provider := fs.String("psp", "", "provider name (securelink merchant connect --psp NAME --help lists its fields)")
	noTest := fs.Bool("no-test", false, "connect without testing the connection")
	values := map[string]*string{}
	for _, d := range psp.Definitions() {
		for _, f := range d.Fields {
			flagName := strings.ReplaceAll(f.Key, "_", "-")
			if fs.Lookup(flagName) == nil {
				values[f.Key] = fs.String(flagName, "", f.Label+" ("+d.Name+")")
			}
		}
	}
	// --psp names the account's provider here, not the default account's: the flags are parsed apart
	// from the server's and the rest of the settings come from the environment.
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	a, err := openApp(ctx, flag.NewFlagSet("merchant connect", flag.ExitOnError), nil)
	if err != nil {
		return err
	}
	defer a.Close()
	if *merchant == "" || *provider == "" || (*mode != "test" && *mode != "live") {
		return errors.New("usage: securelink merchant connect --merchant ID --mode test|live --psp NAME --FIELD VALUE …")
	}
	in := provideraccounts.PutInput{Provider: *provider, Values: map[string]string{}, Operator: true}
	d, ok := psp.Lookup(*provider)
	if !ok {
		return fmt.Errorf("unknown provider %q", *provider)
	}
	// Secrets given as "-" are read from standard input one a line, in the provider's field order.
	for _, f := range d.Fields {
		k, v := f.Key, values[f.Key]
		if *v == "-" {
			fmt.Fprintf(os.Stderr, "%s: ", k)
			var line string
			if _, err := fmt.Fscanln(os.Stdin, &line); err != nil {
				return fmt.Errorf("reading %s: %w", k, err)
			}
			*v = line
		}
		if *v != "" {
			in.Values[k] = *v
		}
	}
	if _, err := a.Merchants.GetMerchant(ctx, *merchant); err != nil {
		return fmt.Errorf("merchant %s: %w", *merchant, err)
	}
	live := *mode == "live"
	operator := domain.Actor{Type: domain.ActorSystem, MerchantID: *merchant, Livemode: live}
	acct, err := a.ProviderAccounts.Put(ctx, operator, live, in)
	if err != nil {
		return err
	}
	fmt.Printf("Connected %s account %s for %s in %s mode.\nProvider notifications go to %s\n", acct.Provider, acct.ID, *merchant, *mode,
		a.ProviderAccounts.WebhookURL(acct.ID))
	if *noTest {
		return nil
	}
	res, err := a.ProviderAccounts.Test(ctx, operator, live)
	if err != nil {
		return err
	}
	fmt.Println("Test connection:", res.Message)
	if !res.OK {
		return errors.New("the account is connected but its test failed")
	}
	return nil
}

// rotateEncryptionKey re-seals every provider credential with the current key.
func rotateEncryptionKey(args []string) error {
	ctx := context.Background()
	a, err := openApp(ctx, flag.NewFlagSet("rotate-encryption-key", flag.ExitOnError), args)
	if err != nil {
		return err
	}
	defer a.Close()
	if a.Cfg.EncryptionKey == "" {
		return errors.New("set SECURELINK_ENCRYPTION_KEY to the new key and SECURELINK_PREVIOUS_ENCRYPTION_KEYS to the old one(s)")
	}
	r, err := a.ProviderAccounts.ResealAll(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("%d provider accounts re-sealed with the new key; %d already were. The previous keys are no longer needed.\n", r.Resealed, r.Current)
	return nil
}
