import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app.js';
import { connectionFromLocation } from './connection.js';
import './styles.css';

const root = document.getElementById('root');

if (root === null) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App initial={connectionFromLocation(window.location, window.sessionStorage)} />
  </StrictMode>,
);
