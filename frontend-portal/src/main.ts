import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { i18n } from './lib/i18n/index.svelte';
import { loadCurrencies } from '@shared/money';

// The first screen waits for its dictionary so it never flashes untranslated keys, and for the
// currency table so every amount has its currency's decimals (without it the browser's own guess).
await Promise.all([i18n.ready, loadCurrencies().catch(() => {})]);
mount(App, { target: document.getElementById('app')! });
