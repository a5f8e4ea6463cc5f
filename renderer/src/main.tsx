import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { StudioContext } from './app/context';
import { createStudio } from './app/studio';
import { createClient } from './client/index';
import './styles.css';

const studio = createStudio(createClient());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StudioContext.Provider value={studio}>
      <App />
    </StudioContext.Provider>
  </StrictMode>,
);
