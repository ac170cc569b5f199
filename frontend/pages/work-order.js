// A work order's page where a step takes photos: the offline machinery and the step's photos.
import "../../static/mobile/offline.js";
import "../../static/mobile/act.js";
