// first: zod must be told not to compile parsers before any schema is built (see the file)
import './zod-config'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import './ui/base.css'

createApp(App).use(createPinia()).mount('#app')
