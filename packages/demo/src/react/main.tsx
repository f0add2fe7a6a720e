import { createRoot } from 'react-dom/client';
import { App } from './app.js';

const root = document.getElementById('root');
if (root) {
  const endpoint = document.querySelector<HTMLMetaElement>('meta[name="bff-url"]')?.content ?? '';
  createRoot(root).render(<App endpoint={endpoint} />);
}
