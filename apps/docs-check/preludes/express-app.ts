// An Express 5 application, for fragments that call `app.use(…)`.
import express from 'express';

const app = express();
