// Every other phone page, and the login page: the offline machinery only.
import "../../static/mobile/offline.js";
