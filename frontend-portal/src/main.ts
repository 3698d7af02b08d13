import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { i18n } from './lib/i18n/index.svelte';

// The first screen waits for its dictionary so it never flashes untranslated keys.
await i18n.ready;
mount(App, { target: document.getElementById('app')! });
