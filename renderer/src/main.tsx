import './client/zod-setup';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { StudioContext } from './app/context';
import { createStudio } from './app/studio';
import { createClient } from './client/index';
import { createShellClient } from './client/shell';
import { browserEnv } from './lib/env';
import './styles.css';

// Inside Electron the shell's dialogs replace file inputs and downloads; in a browser shell is null.
const studio = createStudio(createClient(), { ...browserEnv, shell: createShellClient() });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StudioContext.Provider value={studio}>
      <App />
    </StudioContext.Provider>
  </StrictMode>,
);
