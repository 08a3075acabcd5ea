import 'dayjs/locale/zh-cn';
import dayjs from 'dayjs';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
// The UI's Chinese font ships with the app (no system CJK font needed, no network): see app/ui-font.ts.
import '@fontsource/noto-sans-sc/400.css';
import './app/app.css';

dayjs.locale('zh-cn');

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
