/** Entry point: mounts the app and filters Monaco's benign `Canceled` promise rejections. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

window.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason as { name?: string; message?: string } | undefined;
  // Monaco rejects superseded requests with an Error named and worded exactly "Canceled".
  if (reason?.name === 'Canceled' && reason.message === 'Canceled') event.preventDefault();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
