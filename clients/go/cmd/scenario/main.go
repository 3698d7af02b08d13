// Command scenario drives a running SecureLink through the Go client generated from openapi.yaml:
// create an invoice, pay it through the built-in test gateway, refund part of it, and page through
// the invoices. It exits non-zero at the first step that does not answer as documented.
//
//	SECURELINK_URL=http://127.0.0.1:8080 SECURELINK_KEY=sk_test_… go run ./cmd/scenario
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"securelink/clients/go/securelink"
)

func main() {
	if err := run(context.Background(), os.Getenv("SECURELINK_URL"), os.Getenv("SECURELINK_KEY")); err != nil {
		fmt.Fprintln(os.Stderr, "go client scenario:", err)
		os.Exit(1)
	}
	fmt.Println("go client scenario: ok")
}

func run(ctx context.Context, base, key string) error {
	if base == "" || key == "" {
		return fmt.Errorf("set SECURELINK_URL and SECURELINK_KEY")
	}
	c, err := securelink.NewClientWithResponses(base+"/api/v1", securelink.WithRequestEditorFn(
		func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+key)
			return nil
		}))
	if err != nil {
		return err
	}

	// 1. Create an invoice.
	// Letters and digits mixed: a long run of digits would be refused as a possible card number.
	idem := "scenario-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	created, err := c.CreateInvoiceWithResponse(ctx, &securelink.CreateInvoiceParams{IdempotencyKey: &idem},
		securelink.CreateInvoiceRequest{
			Customer: securelink.Customer{Name: "Ana Anić", Email: "ana@example.com"},
			Lines:    []securelink.InvoiceLineInput{{Description: "Torta, 2 kg", Quantity: 1, UnitAmount: 450000, VatRate: 20}},
		})
	if err != nil {
		return err
	}
	if created.JSON201 == nil {
		return fmt.Errorf("createInvoice: %d %s", created.StatusCode(), created.Body)
	}
	inv := created.JSON201
	if inv.Link == nil || inv.AmountTotal != 450000 {
		return fmt.Errorf("createInvoice: unexpected invoice %s", created.Body)
	}
	fmt.Printf("createInvoice        %s %s %d %s\n", inv.Id, inv.Number, inv.AmountTotal, inv.Currency)

	// 2. Pay it: tokenise a test card at the gateway (what the checkout page does), then pay.
	token, err := tokenise(ctx, base)
	if err != nil {
		return err
	}
	paid, err := c.PayCheckoutWithResponse(ctx, inv.Link.Token, &securelink.PayCheckoutParams{},
		securelink.PayRequest{TermsAccepted: true, PaymentToken: token})
	if err != nil {
		return err
	}
	if paid.JSON200 == nil || paid.JSON200.Status != securelink.PaymentStatusCaptured {
		return fmt.Errorf("payCheckout: %d %s", paid.StatusCode(), paid.Body)
	}
	pay := paid.JSON200
	fmt.Printf("payCheckout          %s %s %d\n", pay.Id, pay.Status, pay.AmountCaptured)

	// 3. Refund part of it.
	amount := 100000
	refunded, err := c.RefundPaymentWithResponse(ctx, pay.Id, &securelink.RefundPaymentParams{},
		securelink.RefundRequest{Amount: &amount})
	if err != nil {
		return err
	}
	if refunded.JSON201 == nil || refunded.JSON201.Status != securelink.RefundStatusSucceeded {
		return fmt.Errorf("refundPayment: %d %s", refunded.StatusCode(), refunded.Body)
	}
	fmt.Printf("refundPayment        %s %s %d\n", refunded.JSON201.Id, refunded.JSON201.Status, refunded.JSON201.Amount)

	got, err := c.GetPaymentWithResponse(ctx, pay.Id, &securelink.GetPaymentParams{Expand: &[]securelink.GetPaymentParamsExpand{securelink.GetPaymentParamsExpandInvoice}})
	if err != nil {
		return err
	}
	if got.JSON200 == nil || got.JSON200.AmountRefunded != amount || got.JSON200.Invoice == nil || got.JSON200.Invoice.Id != inv.Id {
		return fmt.Errorf("getPayment with expand[]=invoice: %d %s", got.StatusCode(), got.Body)
	}
	fmt.Printf("getPayment           %s refunded %d, invoice %s\n", got.JSON200.Id, got.JSON200.AmountRefunded, got.JSON200.Invoice.Status)

	// 4. List with pagination: a second invoice, then one invoice per page.
	if second, err := c.CreateInvoiceWithResponse(ctx, &securelink.CreateInvoiceParams{}, securelink.CreateInvoiceRequest{
		Customer: securelink.Customer{Name: "Marko Marković", Email: "marko@example.com"},
		Lines:    []securelink.InvoiceLineInput{{Description: "Dostava", Quantity: 1, UnitAmount: 30000, VatRate: 20}},
	}); err != nil || second.JSON201 == nil {
		return fmt.Errorf("createInvoice (second): %v", err)
	}
	limit := 1
	page1, err := c.ListInvoicesWithResponse(ctx, &securelink.ListInvoicesParams{Limit: &limit})
	if err != nil {
		return err
	}
	if page1.JSON200 == nil || len(page1.JSON200.Data) != 1 || !page1.JSON200.HasMore {
		return fmt.Errorf("listInvoices: %d %s", page1.StatusCode(), page1.Body)
	}
	after := page1.JSON200.Data[0].Id
	page2, err := c.ListInvoicesWithResponse(ctx, &securelink.ListInvoicesParams{Limit: &limit, StartingAfter: &after})
	if err != nil {
		return err
	}
	if page2.JSON200 == nil || len(page2.JSON200.Data) != 1 || page2.JSON200.Data[0].Id == after {
		return fmt.Errorf("listInvoices starting_after: %d %s", page2.StatusCode(), page2.Body)
	}
	before := page2.JSON200.Data[0].Id
	back, err := c.ListInvoicesWithResponse(ctx, &securelink.ListInvoicesParams{Limit: &limit, EndingBefore: &before})
	if err != nil {
		return err
	}
	if back.JSON200 == nil || len(back.JSON200.Data) != 1 || back.JSON200.Data[0].Id != after {
		return fmt.Errorf("listInvoices ending_before: %d %s", back.StatusCode(), back.Body)
	}
	fmt.Printf("listInvoices         page 1 %s (has_more), page 2 %s, back to %s\n", after, before, back.JSON200.Data[0].Id)
	return nil
}

// tokenise turns a test card into a single-use token at the built-in gateway.
func tokenise(ctx context.Context, base string) (string, error) {
	body, _ := json.Marshal(map[string]any{"number": "4242424242424242", "exp_month": 12, "exp_year": time.Now().Year() + 2, "cvc": "123"})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/gateway/v1/tokens", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.ID == "" {
		return "", fmt.Errorf("tokenise: %d %v", resp.StatusCode, err)
	}
	return tok.ID, nil
}
