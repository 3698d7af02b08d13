import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

const target = document.getElementById('app')!;
// A reusable link (/pay/l/{token}) has a page of its own, a chunk fetched only there: it creates the
// payer's order and goes on to that order's checkout, /pay/{token}, which App shows.
if (location.pathname.startsWith('/pay/l/')) void import('./components/LinkPage.svelte').then((m) => mount(m.default, { target }));
else mount(App, { target });
