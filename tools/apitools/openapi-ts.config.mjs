// @hey-api/openapi-ts configuration: the TypeScript SDK of openapi.yaml, one function per
// operationId (createInvoice, payCheckout, refundPayment…) over a bundled fetch client. It is
// generated whenever the client scenario runs and never committed, so it cannot drift.
export default {
  input: '../../openapi.yaml',
  output: { path: 'build/ts-client', importFileExtension: '.js' },
  plugins: ['@hey-api/client-fetch'],
};
